package io.ganymede.hub.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code /hub/logo}, where single-user servers (the classic notebook's header, JupyterLab's
 * hub menu) load the hub's logo from, as JupyterHub serves it.
 */
@Path("/hub/logo")
public class Logo {

    @GET
    public Response logo() {
        return Response.status(302).location(URI.create("/hub/static/logo.svg")).build();
    }
}
