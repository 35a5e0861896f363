package io.ganymede.hub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings that describe the hub itself. Defaults and comments live in application.yaml. */
@ConfigMapping(prefix = "ganymede")
public interface HubConfig {

    /** JupyterHub version the REST API behaves as; sent in {@code X-JupyterHub-Version}. */
    @WithDefault("6.1.1")
    String jupyterhubVersion();

    /**
     * A token with the admin role for automation, like a z2jh service's api_token
     * ({@code GANYMEDE_ADMIN_TOKEN}). Unset: no such token.
     */
    java.util.Optional<String> adminToken();

    Hub hub();

    OAuth oauth();

    interface OAuth {
        /** Refuse authorization codes asked for without PKCE (JupyterHub 6.0's oauth_require_pkce). */
        @WithDefault("false")
        boolean requirePkce();
    }

    interface Hub {
        /** URL prefix of the hub, with leading and trailing slash. */
        @WithDefault("/hub/")
        String baseUrl();

        /** URL at which servers and the proxy reach the hub; unset: the address it listens on. */
        java.util.Optional<String> internalUrl();

        /** Scheme and host people reach the hub at (JupyterHub's public_url); unset: unknown. */
        java.util.Optional<String> publicUrl();
    }
}
