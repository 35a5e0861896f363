package io.ganymede.hub.api;

import io.ganymede.hub.config.HubConfig;
import io.ganymede.hub.scopes.Public;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code GET /hub/api/}: the one unauthenticated endpoint, used by servers to find the hub's version. */
@Path("/hub/api")
public class VersionResource {

    private final HubConfig config;

    VersionResource(HubConfig config) {
        this.config = config;
    }

    /** Open to pages of any origin, as JupyterHub's: it tells nothing but the version. */
    @GET
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public Response version() {
        return Response.ok(Map.of("version", config.jupyterhubVersion())).header("Access-Control-Allow-Origin", "*").build();
    }
}
