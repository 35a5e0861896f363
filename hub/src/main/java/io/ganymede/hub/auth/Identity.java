package io.ganymede.hub.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who a verified request or login belongs to, as the hub core needs it to find or create the user.
 *
 * @param username the JupyterHub user name (see {@link UsernameMapper}); also the {@code /user/<name>/} segment
 * @param email the verified email address, or {@code null} when the identity provider gave none
 * @param groups group names asserted by the identity provider; empty when it asserts none (IAP)
 * @param source which sign-in mechanism vouched for this identity
 */
public record Identity(String username, String email, Set<String> groups, Source source) {

    /** The sign-in mechanisms; each matches a value of {@code ganymede.auth.mode}. */
    public enum Source {
        IAP,
        OIDC,
        DEV
    }

    public Identity {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(source, "source");
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
}
