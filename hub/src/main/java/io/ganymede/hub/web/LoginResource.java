package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.api.UserNames;
import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.CallerFilter;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.Sessions;
import io.ganymede.hub.auth.Identity;
import io.ganymede.hub.auth.NextUrl;
import io.ganymede.hub.auth.Xsrf;
import io.ganymede.hub.auth.oidc.LoginRedirect;
import io.ganymede.hub.auth.oidc.LoginResult;
import io.ganymede.hub.auth.oidc.OidcCodeFlow;
import jakarta.enterprise.inject.Instance;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Sign-in and sign-out pages for each mode: the development form (any name is accepted, so it
 * only ever listens on loopback), the OpenID Connect redirect and callback, and in IAP mode
 * nothing to do but go on, since IAP signed the browser in before the hub saw it.
 */
@Path("/hub")
public class LoginResource {

    /** Holds the OIDC login's state between the redirect and the callback, in this browser only. */
    private static final Logger LOG = Logger.getLogger(LoginResource.class);
    static final String OIDC_STATE_COOKIE = "ganymede-oidc-state";
    /** Where IAP ends its own session (Google's documented path on the protected domain). */
    static final String IAP_LOGOUT = "/_gcp_iap/clear_login_cookie";
    private static final Duration PROVIDER_WAIT = Duration.ofSeconds(30);

    private final Template login;
    private final Sessions sessions;
    private final AuthConfig config;
    private final CurrentCaller caller;
    private final Instance<OidcCodeFlow> oidc;

    LoginResource(@Location("login.html") Template login, Sessions sessions, AuthConfig config, CurrentCaller caller,
            Instance<OidcCodeFlow> oidc) {
        this.login = login;
        this.sessions = sessions;
        this.config = config;
        this.caller = caller;
        this.oidc = oidc;
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("next") String next, @Context HttpHeaders headers, @Context UriInfo uri) {
        if (caller.get().isPresent()) {
            return Response.status(302).location(NextUrl.location(next, host(headers))).build();
        }
        if (config.mode() == AuthConfig.Mode.OIDC) {
            LoginRedirect start = oidc.get().begin(next).await().atMost(PROVIDER_WAIT);
            NewCookie state = new NewCookie.Builder(OIDC_STATE_COOKIE).value(start.state()).path("/hub/")
                    .httpOnly(true).secure(sessions.secure(headers, uri)).sameSite(NewCookie.SameSite.LAX)
                    .maxAge((int) config.oidc().loginTimeout().toSeconds()).build();
            return Response.status(302).location(start.location()).cookie(state).build();
        }
        if (config.mode() == AuthConfig.Mode.IAP) {
            // IAP lets no unverified browser reach this page; a caller-less one holds a bad token.
            throw new ApiException(401, "Sign-in is done by Identity-Aware Proxy");
        }
        String xsrf = Xsrf.value(headers);
        return Response.ok(login.data("xsrf", xsrf).data("next", next == null ? "" : next).data("error", null)
                .data("mode", config.mode().name().toLowerCase()).render()).cookie(Xsrf.cookie(xsrf)).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response submit(@FormParam("username") String username, @FormParam("next") String next,
            @FormParam("_xsrf") String xsrf, @Context HttpHeaders headers, @Context UriInfo uri) {
        if (config.mode() != AuthConfig.Mode.DEV) {
            throw new ApiException(404, "Not Found");
        }
        if (!Xsrf.valid(headers, xsrf)) {
            throw new ApiException(403, "XSRF cookie does not match POST argument");
        }
        String name;
        try {
            name = UserNames.normalize(username);
        } catch (ApiException invalid) {
            String token = Xsrf.value(headers);
            return Response.status(400).entity(login.data("xsrf", token).data("next", next == null ? "" : next)
                    .data("error", invalid.getMessage()).data("mode", config.mode().name().toLowerCase()).render()).build();
        }
        return Response.status(302).location(NextUrl.location(next, host(headers)))
                .cookie(sessions.signIn(new Identity(name, null, null, Identity.Source.DEV), sessions.secure(headers, uri)))
                .build();
    }

    /** The provider's redirect back: verify, sign in, and go where the user was going. */
    @GET
    @Path("oauth_callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code,
            @QueryParam("error") String error, @CookieParam(OIDC_STATE_COOKIE) String stateCookie,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        if (config.mode() != AuthConfig.Mode.OIDC) {
            throw new ApiException(404, "Not Found");
        }
        LoginResult result;
        try {
            result = oidc.get().complete(state, code, error, stateCookie).await().atMost(PROVIDER_WAIT);
        } catch (AuthenticationFailedException e) {
            LOG.warnf("OIDC login failed: %s", e.getMessage());
            throw new ApiException(401, "Sign-in failed or expired; sign in again at /hub/login");
        } catch (AccessDeniedException e) {
            LOG.warnf("OIDC login of %s refused: %s", e.username(), e.getMessage());
            throw new ApiException(403, "Your account is not allowed to use this hub");
        }
        boolean secure = sessions.secure(headers, uri);
        NewCookie clearState = new NewCookie.Builder(OIDC_STATE_COOKIE).value("").path("/hub/").httpOnly(true)
                .secure(secure).maxAge(0).build();
        return Response.status(302).location(NextUrl.location(result.next(), null))
                .cookie(sessions.signIn(result.identity(), secure), clearState).build();
    }

    /**
     * Ends the hub session and revokes the OAuth tokens the user's servers were given, so their
     * server pages need a new sign-in too. Behind IAP, IAP's own session is cleared next.
     */
    @GET
    @Path("logout")
    public Response logout(@CookieParam(CallerFilter.LOGIN_COOKIE) String session, @Context HttpHeaders headers,
            @Context UriInfo uri) {
        if (config.mode() == AuthConfig.Mode.IAP) {
            caller.get().filter(c -> !c.service()).ifPresent(c -> sessions.revokeServerAccess(c.name()));
            return Response.status(302).location(URI.create(IAP_LOGOUT)).build();
        }
        return Response.status(302).location(URI.create("/hub/login"))
                .cookie(sessions.signOut(session, sessions.secure(headers, uri))).build();
    }

    @GET
    public Response root() {
        return redirect("/hub/home");
    }

    private static String host(HttpHeaders headers) {
        return headers.getHeaderString(HttpHeaders.HOST);
    }

    static Response redirect(String path) {
        return Response.status(302).location(URI.create(path)).build();
    }
}
