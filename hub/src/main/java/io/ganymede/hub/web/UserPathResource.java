package io.ganymede.hub.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * {@code /user/...} reaches the hub only when the proxy has no route for it: the server is not
 * running. As JupyterHub, send the browser to the hub's own page for that path.
 */
@Path("/user")
public class UserPathResource {

    @GET
    @Path("{rest: .*}")
    public Response toHub(@Context UriInfo uri) {
        return Response.status(302).location(URI.create("/hub" + uri.getRequestUri().getRawPath())).build();
    }
}
