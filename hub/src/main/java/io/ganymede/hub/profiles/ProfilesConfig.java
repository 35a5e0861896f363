package io.ganymede.hub.profiles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where profiles.yaml is and how it is watched. Defaults and comments live in application.yaml. */
@ConfigMapping(prefix = "ganymede.profiles")
public interface ProfilesConfig {

    /**
     * The profiles file; relative paths are resolved against the hub's working directory. A missing
     * file means one built-in "Default" profile.
     */
    @WithDefault("profiles.yaml")
    String path();

    /** Watch the file's directory for changes (a ConfigMap update swaps a symlink there). */
    @WithDefault("true")
    boolean watch();

    /** How often the file's content hash is compared as a fallback to watching; 0 turns it off. */
    @WithDefault("5s")
    Duration pollInterval();
}
