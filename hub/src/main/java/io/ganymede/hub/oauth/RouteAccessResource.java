package io.ganymede.hub.oauth;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.NextUrl;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawn.Urls;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /hub/open/<user>[/<server>]}: where the proxy sends a browser that wants an app with no
 * login of its own (RStudio, code-server). The signed-in user gets an access token for that one
 * route if {@code access:servers} allows, as the OAuth step does for Jupyter servers.
 */
@Path("/hub/open")
public class RouteAccessResource {

    private final CurrentCaller caller;
    private final AccessGrant grant;

    RouteAccessResource(CurrentCaller caller, AccessGrant grant) {
        this.caller = caller;
        this.grant = grant;
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
        Caller who = AccessGrant.person(caller).orElse(null);
        if (who == null) {
            return Response.status(302).location(NextUrl.toLogin(uri.getRequestUri())).build();
        }
        UserEntity owner = UserEntity.findByName(name).orElseThrow(() -> new OAuthError(404, "not_found", "No such user: " + name));
        AccessGrant.requireServer(who, owner, serverName);
        String prefix = Urls.serverPrefix(owner.name, serverName);
        // The proxy matches routes unescaped, as configurable-http-proxy stores them.
        String route = "/user/" + owner.name + (serverName.isEmpty() ? "" : "/" + serverName);
        return grant.redirect(route, prefix, next);
    }
}
