package io.ganymede.hub.auth;

import io.ganymede.hub.auth.iap.IapGate;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the caller of every hub request, once: a valid hub token in {@code Authorization:
 * token|Bearer} or a {@code ?token=} parameter (in every mode, so automation works without IAP);
 * otherwise, in IAP mode, the identity {@link IapGate} verified from the assertion; otherwise the
 * login cookie (dev and OIDC modes). In IAP mode the gate has already told the two apart.
 * Changes made with the cookie or IAP's cookie need the XSRF token too ({@link XsrfFilter}).
 */
public class CallerFilter {

    public static final String LOGIN_COOKIE = "jupyterhub-hub-login";
    public static final String XSRF_COOKIE = "_xsrf";

    private final Identities identities;
    private final CurrentCaller current;
    private final AuthConfig config;

    CallerFilter(Identities identities, CurrentCaller current, AuthConfig config) {
        this.identities = identities;
        this.current = current;
        this.config = config;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public void resolve(ContainerRequestContext request, RoutingContext routing) {
        Caller byToken = routing.get(IapGate.TOKEN_CALLER);
        Identity verified = routing.get(IapGate.IDENTITY);
        Optional<Caller> caller;
        if (byToken != null) {
            // IAP mode: the gate looked the token up already.
            caller = Optional.of(byToken);
        } else if (verified != null) {
            // IAP mode, decided by the assertion. A request with an Authorization header (IAP's
            // programmatic access sends a Google ID token in it) cannot come from a cross-site page,
            // so it needs no XSRF token; one without it came from a browser's IAP cookie.
            caller = Optional.of(signedIn(verified, request.getHeaderString("Authorization") == null));
        } else {
            caller = presentedToken(request.getHeaderString("Authorization"),
                    request.getUriInfo().getQueryParameters().getFirst("token"))
                    .flatMap(secret -> identities.fromSecret(secret, false));
            if (caller.isEmpty() && config.mode() != AuthConfig.Mode.IAP) {
                Cookie login = request.getCookies().get(LOGIN_COOKIE);
                if (login != null) {
                    caller = identities.fromSecret(login.getValue(), true);
                }
            }
        }
        caller.ifPresent(current::set);
    }

    /** A user's first requests may race to create them; the loser finds the winner's row on a retry. */
    private Caller signedIn(Identity verified, boolean viaCookie) {
        try {
            return identities.signedIn(verified, viaCookie);
        } catch (RuntimeException firstTry) {
            return identities.signedIn(verified, viaCookie);
        }
    }

    /**
     * The token a request presents: {@code Authorization: token|Bearer X}, else a {@code ?token=}
     * parameter. Whether it is a hub token is for {@link Identities} to tell.
     */
    public static Optional<String> presentedToken(String authorization, String tokenParameter) {
        if (authorization != null) {
            int space = authorization.indexOf(' ');
            if (space > 0) {
                String scheme = authorization.substring(0, space);
                if (scheme.equalsIgnoreCase("token") || scheme.equalsIgnoreCase("bearer")) {
                    return Optional.of(authorization.substring(space + 1).trim());
                }
            }
        }
        return Optional.ofNullable(tokenParameter);
    }
}
