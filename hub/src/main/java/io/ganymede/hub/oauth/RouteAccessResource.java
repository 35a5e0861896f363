package io.ganymede.hub.oauth;

import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.NextUrl;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.proxy.ProxyToken;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.spawn.Urls;
import io.ganymede.proxy.routing.AccessTokens;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code /hub/open/<user>[/<server>]}: where the proxy sends a browser that wants an app with no
 * login of its own (RStudio, code-server). The signed-in user gets an access token for that one
 * route if {@code access:servers} allows, as the OAuth step does for Jupyter servers.
 */
@Path("/hub/open")
public class RouteAccessResource {

    /** Short enough that revoked access ends soon, long enough for a working day. */
    static final Duration LIFETIME = Duration.ofHours(12);

    private final CurrentCaller caller;
    private final AccessTokens tokens;
    private final Clock clock;
    private final boolean secureCookies;

    RouteAccessResource(CurrentCaller caller, ProxyToken proxyToken, Clock clock, AuthConfig auth) {
        this.caller = caller;
        this.tokens = new AccessTokens(proxyToken.value());
        this.clock = clock;
        this.secureCookies = auth.secureCookies();
    }

    @GET
    @Path("{name}")
    @Transactional
    public Response openDefault(@PathParam("name") String name, @QueryParam("next") String next, @Context UriInfo uri) {
        return open(name, "", next, uri);
    }

    @GET
    @Path("{name}/{server_name}")
    @Transactional
    public Response openNamed(@PathParam("name") String name, @PathParam("server_name") String serverName,
            @QueryParam("next") String next, @Context UriInfo uri) {
        return open(name, serverName, next, uri);
    }

    private Response open(String name, String serverName, String next, UriInfo uri) {
        Caller who = caller.get().orElse(null);
        if (who == null || who.service()) {
            return Response.status(302).location(NextUrl.toLogin(uri.getRequestUri())).build();
        }
        UserEntity owner = UserEntity.findByName(name).orElseThrow(() -> new OAuthError(404, "not_found", "No such user: " + name));
        if (!who.permissions().allows("access:servers", Target.server(owner.name, serverName, owner.groupNames()))) {
            throw new OAuthError(403, "access_denied", "User " + who.name() + " is not allowed to access " + owner.name + "/" + serverName);
        }
        String prefix = Urls.serverPrefix(owner.name, serverName);
        // The proxy matches routes unescaped, as configurable-http-proxy stores them.
        String route = "/user/" + owner.name + (serverName.isEmpty() ? "" : "/" + serverName);
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        NewCookie cookie = new NewCookie.Builder(AccessTokens.COOKIE).value(tokens.issue(route, expires))
                .path(prefix).httpOnly(true).secure(secureCookies).sameSite(NewCookie.SameSite.LAX).maxAge((int) LIFETIME.toSeconds()).build();
        // Only somewhere under the route the cookie opens; anything else goes to the route itself.
        String target = NextUrl.validated(next, null);
        return Response.status(302).location(URI.create(target != null && target.startsWith(prefix) ? target : prefix))
                .cookie(cookie).build();
    }
}
