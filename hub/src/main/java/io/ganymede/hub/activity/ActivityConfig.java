package io.ganymede.hub.activity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code ganymede.activity.*}: how reported activity reaches the database. */
@ConfigMapping(prefix = "ganymede.activity")
public interface ActivityConfig {

    /** How often pending activity is written (also at shutdown); readers see it at once either way. */
    @WithDefault("1s")
    Duration flushInterval();
}
