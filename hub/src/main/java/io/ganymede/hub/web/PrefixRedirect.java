package io.ganymede.hub.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * Paths outside {@code /hub/} reach the hub only when the proxy has no route for them. As
 * JupyterHub's {@code PrefixRedirectHandler} does, send the browser into the hub: {@code /} to
 * {@code /hub/}, and {@code /user/alice@example.com/lab} of a server that is not running to
 * {@code /hub/user/alice@example.com/lab}, the page that offers to start it. The path stays
 * escaped as it came, and the query is kept.
 */
@Path("/")
public class PrefixRedirect {

    @GET
    public Response root() {
        return Response.status(302).location(URI.create("/hub/")).build();
    }

    @GET
    @Path("{path: (?!hub/|hub$|q/|q$).+}")
    public Response intoHub(@Context UriInfo uri) {
        URI request = uri.getRequestUri();
        String query = request.getRawQuery();
        return Response.status(302).location(URI.create("/hub" + request.getRawPath() + (query == null ? "" : "?" + query))).build();
    }
}
