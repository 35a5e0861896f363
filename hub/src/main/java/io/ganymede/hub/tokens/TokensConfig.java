package io.ganymede.hub.tokens;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code ganymede.tokens.*}: API tokens users and services ask for. Plain numbers are seconds. */
@ConfigMapping(prefix = "ganymede.tokens")
public interface TokensConfig {

    /**
     * The longest {@code expires_in} a new API token may ask for, and what a token asking none
     * gets (JupyterHub 5.1's {@code token_expires_in_max_seconds}). 0: no maximum of this hub's
     * own; a token may still ask for at most {@link #CEILING}, and one asking none never expires.
     */
    @WithDefault("0s")
    Duration expiresInMax();

    /** 100 years: beyond any token's use, and far from where its expiry time would overflow. */
    Duration CEILING = Duration.ofDays(36_525);
}
