package io.ganymede.hub.auth;

import io.ganymede.hub.auth.iap.IapGate;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the caller of every hub request, once: a token in {@code Authorization: token|Bearer}
 * or a {@code ?token=} parameter (in every mode, so automation works without IAP); otherwise, in
 * IAP mode, the identity {@link IapGate} verified; otherwise the login cookie (dev and OIDC modes).
 * Changes made with the cookie or IAP need the XSRF token too ({@link XsrfFilter}).
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
        Optional<Caller> caller = bearer(request).flatMap(secret -> identities.fromSecret(secret, false));
        if (caller.isEmpty() && config.mode() == AuthConfig.Mode.IAP) {
            Identity verified = routing.get(IapGate.IDENTITY);
            if (verified != null) {
                caller = Optional.of(signedIn(verified));
            }
        } else if (caller.isEmpty()) {
            Cookie login = request.getCookies().get(LOGIN_COOKIE);
            if (login != null) {
                caller = identities.fromSecret(login.getValue(), true);
            }
        }
        caller.ifPresent(current::set);
    }

    /** A user's first requests may race to create them; the loser finds the winner's row on a retry. */
    private Caller signedIn(Identity verified) {
        try {
            return identities.signedIn(verified);
        } catch (RuntimeException firstTry) {
            return identities.signedIn(verified);
        }
    }

    private static Optional<String> bearer(ContainerRequestContext request) {
        String header = request.getHeaderString("Authorization");
        if (header != null) {
            int space = header.indexOf(' ');
            if (space > 0) {
                String scheme = header.substring(0, space);
                if (scheme.equalsIgnoreCase("token") || scheme.equalsIgnoreCase("bearer")) {
                    return Optional.of(header.substring(space + 1).trim());
                }
            }
        }
        return Optional.ofNullable(request.getUriInfo().getQueryParameters().getFirst("token"));
    }
}
