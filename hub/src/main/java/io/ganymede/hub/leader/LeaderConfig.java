package io.ganymede.hub.leader;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How hub replicas pick the one that runs singleton duties; comments in application.yaml. */
@ConfigMapping(prefix = "ganymede.leader")
public interface LeaderConfig {

    enum Kind {
        /** {@code lease} with the kubernetes spawner, {@code none} otherwise. */
        AUTO,
        /** A Kubernetes Lease elects one replica. */
        LEASE,
        /** This process always leads: one replica only. */
        NONE
    }

    @WithDefault("auto")
    Kind kind();

    /** Name of the Lease object. */
    @WithDefault("ganymede-hub")
    String leaseName();

    /** Namespace of the Lease; unset: the kubernetes spawner's namespace. */
    Optional<String> namespace();

    /** This replica's name on the Lease; unset: the host (pod) name and a random suffix. */
    Optional<String> identity();

    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();
}
