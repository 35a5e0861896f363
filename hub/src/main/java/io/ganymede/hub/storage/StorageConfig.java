package io.ganymede.hub.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code ganymede.storage.*}: users' disks. Defaults and comments live in application.yaml. */
@ConfigMapping(prefix = "ganymede.storage")
public interface StorageConfig {

    /**
     * A Prometheus HTTP API (e.g. Google Managed Prometheus' frontend) that has the kubelet's
     * {@code kubelet_volume_stats_used_bytes}; unset: fill levels are "unknown".
     */
    Optional<URI> prometheusUrl();

    /** How long a fill-level query may take before the page says "unknown". */
    @WithDefault("3s")
    Duration prometheusTimeout();

    /**
     * The most disk (a Kubernetes quantity, e.g. {@code 500Gi}) the members of a group may hold
     * together, by group name; groups not named have no limit.
     */
    Map<String, String> groupLimits();
}
