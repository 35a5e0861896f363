package io.ganymede.hub.auth;

import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.tokens.TokenService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.NewCookie;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Hub login sessions: a random secret in an HttpOnly cookie, stored hashed like a token so a
 * session can be revoked, and it dies at logout together with the OAuth tokens given to servers.
 */
@ApplicationScoped
public class Sessions {

    static final Duration LIFETIME = Duration.ofDays(14);

    private final TokenService tokens;
    private final Clock clock;
    private final AuthConfig config;

    Sessions(TokenService tokens, Clock clock, AuthConfig config) {
        this.tokens = tokens;
        this.clock = clock;
        this.config = config;
    }

    /** Signs a user in, creating them if new; returns the login cookie. */
    @Transactional
    public NewCookie signIn(String name) {
        UserEntity user = UserEntity.findByName(name).orElseGet(() -> {
            UserEntity created = new UserEntity();
            created.name = name;
            created.created = clock.instant();
            created.admin = config.adminUsers().orElse(List.of()).contains(name);
            created.persist();
            return created;
        });
        user.touch(clock.instant());
        String secret = tokens.issue(user, TokenEntity.Kind.session, List.of("inherit"), "login session",
                LIFETIME, null, null).secret();
        return cookie(secret, (int) LIFETIME.toSeconds());
    }

    /** Ends the session behind this cookie and revokes what the user's servers were given. */
    @Transactional
    public NewCookie signOut(String secret) {
        if (secret != null) {
            tokens.find(secret).filter(t -> t.kind == TokenEntity.Kind.session).ifPresent(session -> {
                tokens.revokeOAuth(session.user);
                session.delete();
            });
        }
        return cookie("", 0);
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(CallerFilter.LOGIN_COOKIE)
                .value(value)
                .path("/hub/")
                .httpOnly(true)
                .secure(config.secureCookies())
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge(maxAge)
                .build();
    }
}
