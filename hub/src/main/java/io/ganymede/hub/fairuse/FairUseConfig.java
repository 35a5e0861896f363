package io.ganymede.hub.fairuse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** {@code ganymede.fair-use.*}: quotas per group. Defaults and comments live in application.yaml. */
@ConfigMapping(prefix = "ganymede.fair-use")
public interface FairUseConfig {

    /** The group name whose quota applies to groups without their own, and to users in no group. */
    String DEFAULT = "default";

    /** Quotas by group name; {@code default} for every other group. None: no quotas. */
    Map<String, Quota> quotas();

    /** Stop running GPU servers of a group whose GPU-hours ran out, after the culler's warning. */
    @WithDefault("false")
    boolean stopAtQuotaEnd();

    /** How often running servers are checked against GPU-hour quotas when stop-at-quota-end is on. */
    @WithDefault("60s")
    Duration checkInterval();

    /** A group's limits; unset ones do not apply. */
    interface Quota {
        OptionalDouble gpuHoursPerMonth();

        OptionalDouble gpuHoursPerWeek();

        OptionalInt concurrentGpus();

        OptionalInt concurrentServers();
    }
}
