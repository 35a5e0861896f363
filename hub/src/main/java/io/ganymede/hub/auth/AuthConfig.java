package io.ganymede.hub.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** How users sign in; defaults and comments live in application.yaml. */
@ConfigMapping(prefix = "ganymede.auth")
public interface AuthConfig {

    /** {@code dev} (any name, loopback only), {@code iap} or {@code oidc}. */
    @WithDefault("dev")
    String mode();

    /** Users made admins when they first sign in (and at every start). */
    Optional<List<String>> adminUsers();

    /** Mark the login cookie Secure; on whenever the hub is reached over HTTPS. */
    @WithDefault("false")
    boolean secureCookies();
}
