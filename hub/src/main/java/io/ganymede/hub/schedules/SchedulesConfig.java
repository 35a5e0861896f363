package io.ganymede.hub.schedules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code ganymede.schedules.*}: users' scheduled server starts. */
@ConfigMapping(prefix = "ganymede.schedules")
public interface SchedulesConfig {

    /** Whether the leader starts scheduled servers (the API works either way). */
    @WithDefault("true")
    boolean enabled();

    /** How often the leader looks for schedules that are due. */
    @WithDefault("30s")
    Duration checkInterval();

    /** A run found later than this (the hub was down) is skipped, never replayed. */
    @WithDefault("5m")
    Duration missedGrace();

    /** Schedules a user may have. */
    @WithDefault("20")
    int maxPerUser();
}
