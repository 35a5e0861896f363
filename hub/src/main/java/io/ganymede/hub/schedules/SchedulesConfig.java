package io.ganymede.hub.schedules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code ganymede.schedules.*}: scheduled server starts, users' own and groups'. */
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

    /** Schedules a user may have of their own. */
    @WithDefault("20")
    int maxPerUser();

    /** Schedules a group may have (each starts every member's server). */
    @WithDefault("20")
    int maxPerGroup();

    /**
     * How long a scheduled start refused because {@code concurrent-spawn-limit} starts are already
     * in flight waits before it asks again; it gives up once {@code missed-grace} has gone by.
     */
    @WithDefault("10s")
    Duration busyRetry();
}
