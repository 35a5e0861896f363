package io.ganymede.hub.oauth;

import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.NextUrl;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.proxy.ProxyToken;
import io.ganymede.hub.scopes.Target;
import io.ganymede.proxy.routing.AccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The access cookie the proxy checks on routes of apps without a login of their own (RStudio,
 * code-server, services with {@code login-at-proxy}), handed to a browser once the hub has
 * checked that its user may use the app; and that check, the same for every way in (the OAuth
 * step, the access cookie, a managed app's start).
 */
@ApplicationScoped
public class AccessGrant {

    /** Short enough that revoked access ends soon, long enough for a working day. */
    static final Duration LIFETIME = Duration.ofHours(12);

    private final AccessTokens tokens;
    private final Clock clock;
    private final boolean secureCookies;

    AccessGrant(ProxyToken proxyToken, Clock clock, AuthConfig auth) {
        this.tokens = new AccessTokens(proxyToken.value());
        this.clock = clock;
        this.secureCookies = auth.secureCookies();
    }

    /**
     * The signed-in person: empty for nobody and for a service's token, which the pages that
     * grant access send to the login page.
     */
    public static Optional<Caller> person(CurrentCaller caller) {
        return caller.get().filter(who -> !who.service());
    }

    /** A 403 unless {@code who} holds {@code access:services} on the service, as JupyterHub's {@code access_scopes}. */
    public static void requireService(Caller who, String service) {
        if (!who.permissions().allows("access:services", Target.service(service))) {
            throw new OAuthError(403, "access_denied", (who.service() ? "Service " : "User ") + who.name()
                    + " is not allowed to access service " + service);
        }
    }

    /** A 403 unless {@code who} holds {@code access:servers} on the owner's server (shares give it too). */
    public static void requireServer(Caller who, UserEntity owner, String serverName) {
        if (!who.permissions().allows("access:servers", Target.server(owner.name, serverName, owner.groupNames()))) {
            throw new OAuthError(403, "access_denied", "User " + who.name() + " is not allowed to access " + owner.name + "/"
                    + serverName);
        }
    }

    /**
     * A redirect to {@code next} (only somewhere under {@code prefix}; anything else goes to the
     * prefix itself) that sets a cookie for the route, scoped to its prefix.
     *
     * @param route the route as the proxy matches it (unescaped, no trailing slash)
     * @param prefix the route's URL prefix, escaped, with a trailing slash
     */
    Response redirect(String route, String prefix, String next) {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        NewCookie cookie = new NewCookie.Builder(AccessTokens.COOKIE).value(tokens.issue(route, expires))
                .path(prefix).httpOnly(true).secure(secureCookies).sameSite(NewCookie.SameSite.LAX).maxAge((int) LIFETIME.toSeconds()).build();
        String target = NextUrl.validated(next, null);
        return Response.status(302).location(URI.create(target != null && target.startsWith(prefix) ? target : prefix))
                .cookie(cookie).build();
    }
}
