package io.ganymede.hub.auth;

import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.tokens.TokenService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
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
    private final AuthConfig config;
    private final Accounts accounts;

    Sessions(TokenService tokens, AuthConfig config, Accounts accounts) {
        this.tokens = tokens;
        this.config = config;
        this.accounts = accounts;
    }

    /** Signs a user in by name (the development login), creating them if new; returns the login cookie. */
    public NewCookie signIn(String name) {
        return signIn(new Identity(name, null, null, Identity.Source.DEV), config.secureCookies());
    }

    /**
     * Signs a verified identity in, creating the user if new; returns the login cookie.
     *
     * @param secure mark the cookie Secure (see {@link #secure})
     */
    @Transactional
    public NewCookie signIn(Identity identity, boolean secure) {
        UserEntity user = accounts.signIn(identity);
        String secret = tokens.issue(user, TokenEntity.Kind.session, List.of("inherit"), "login session",
                LIFETIME, null, null).secret();
        return cookie(secret, (int) LIFETIME.toSeconds(), secure);
    }

    /** Ends the session behind this cookie and revokes what the user's servers were given. */
    public NewCookie signOut(String secret) {
        return signOut(secret, config.secureCookies());
    }

    /** As {@link #signOut(String)}, the cleared cookie marked Secure when the login cookie was. */
    @Transactional
    public NewCookie signOut(String secret, boolean secure) {
        if (secret != null) {
            tokens.find(secret).filter(t -> t.kind == TokenEntity.Kind.session).ifPresent(session -> {
                tokens.revokeOAuth(session.user);
                session.delete();
            });
        }
        return cookie("", 0, secure);
    }

    /** Revokes the OAuth tokens of a user's servers (logout where the hub keeps no session, as with IAP). */
    @Transactional
    public void revokeServerAccess(String name) {
        UserEntity.findByName(name).ifPresent(tokens::revokeOAuth);
    }

    /**
     * Whether cookies must be Secure: configured so, or the request came over HTTPS, directly or as
     * the proxy in front says in {@code X-Forwarded-Proto} (as JupyterHub, which trusts that header).
     */
    public boolean secure(HttpHeaders headers, UriInfo uri) {
        String forwarded = headers.getHeaderString("X-Forwarded-Proto");
        String first = forwarded == null ? "" : forwarded.split(",")[0].strip();
        return config.secureCookies() || first.equalsIgnoreCase("https") || "https".equals(uri.getRequestUri().getScheme());
    }

    private NewCookie cookie(String value, int maxAge, boolean secure) {
        return new NewCookie.Builder(CallerFilter.LOGIN_COOKIE)
                .value(value)
                .path("/hub/")
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge(maxAge)
                .build();
    }
}
