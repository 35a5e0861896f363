package io.ganymede.hub.auth;

import io.ganymede.hub.api.ApiException;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * XSRF protection for every change a browser could be tricked into making, checked in one place.
 *
 * <p>Refused without the token: an unsafe method authenticated by something the browser sends on
 * its own (the login cookie, IAP's assertion made from IAP's cookie), and one to a hub page by
 * nobody yet (the login form). See {@link Caller#viaCookie}. Token-authenticated calls need none, as in JupyterHub: a cross-site page cannot add an
 * {@code Authorization} header. The token is the {@code _xsrf}
 * cookie's value, sent back in the {@code X-XSRFToken} header, an {@code _xsrf} query parameter
 * or an {@code _xsrf} form field (double submit, as JupyterHub and Tornado accept it).
 */
public class XsrfFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** Authenticated by the client's credentials in the body, never by a cookie. */
    private static final String OAUTH_TOKEN_PATH = "/hub/api/oauth2/token";

    private final CurrentCaller current;

    XsrfFilter(CurrentCaller current) {
        this.current = current;
    }

    // readBody: the form field is only known once the body is read.
    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION + 10, readBody = true)
    public void check(ResteasyReactiveContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return;
        }
        String path = request.getUriInfo().getPath();
        boolean api = path.startsWith("/hub/api/") || path.equals("/hub/api");
        if (path.equals(OAUTH_TOKEN_PATH) || !path.startsWith("/hub")) {
            return;
        }
        Optional<Caller> caller = current.get();
        // A token cannot be sent by a cross-site page; an anonymous API call is the scope check's.
        if (caller.map(c -> !c.viaCookie()).orElse(api)) {
            return;
        }
        String cookie = request.getCookies().containsKey(CallerFilter.XSRF_COOKIE)
                ? request.getCookies().get(CallerFilter.XSRF_COOKIE).getValue() : null;
        if (!Xsrf.matches(cookie, submitted(request))) {
            throw new ApiException(403, "'_xsrf' argument missing from POST");
        }
    }

    private static String submitted(ResteasyReactiveContainerRequestContext request) {
        String header = request.getHeaderString("X-XSRFToken");
        if (header != null) {
            return header;
        }
        String query = request.getUriInfo().getQueryParameters().getFirst("_xsrf");
        if (query != null) {
            return query;
        }
        if (request.getMediaType() != null && request.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                && request.getServerRequestContext() instanceof ResteasyReactiveRequestContext ctx) {
            Object field = ctx.getFormParameter("_xsrf", true, false);
            return field instanceof String value ? value : null;
        }
        return null;
    }
}
