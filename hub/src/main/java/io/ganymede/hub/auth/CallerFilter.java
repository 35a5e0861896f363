package io.ganymede.hub.auth;

import io.ganymede.hub.api.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the caller of every hub request, once: a token in {@code Authorization: token|Bearer},
 * a {@code ?token=} parameter, or the login cookie. Cookie-authenticated requests that change
 * something must also carry the XSRF token (double-submit: header or form field equals cookie).
 */
public class CallerFilter {

    public static final String LOGIN_COOKIE = "jupyterhub-hub-login";
    public static final String XSRF_COOKIE = "_xsrf";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Identities identities;
    private final CurrentCaller current;

    CallerFilter(Identities identities, CurrentCaller current) {
        this.identities = identities;
        this.current = current;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public void resolve(ContainerRequestContext request) {
        Optional<Caller> caller = bearer(request).flatMap(secret -> identities.fromSecret(secret, false));
        if (caller.isEmpty()) {
            Cookie login = request.getCookies().get(LOGIN_COOKIE);
            if (login != null) {
                caller = identities.fromSecret(login.getValue(), true);
                if (caller.isPresent() && !SAFE_METHODS.contains(request.getMethod())
                        && request.getUriInfo().getPath().startsWith("/hub/api/")) {
                    checkXsrf(request);
                }
            }
        }
        caller.ifPresent(current::set);
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

    /** API calls made by the hub's own pages with the login cookie must prove they came from them. */
    private static void checkXsrf(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(XSRF_COOKIE);
        String header = request.getHeaderString("X-XSRFToken");
        if (cookie == null || header == null || !java.security.MessageDigest.isEqual(
                cookie.getValue().getBytes(), header.getBytes())) {
            throw new ApiException(403, "'_xsrf' argument missing from POST");
        }
    }
}
