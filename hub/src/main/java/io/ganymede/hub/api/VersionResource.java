package io.ganymede.hub.api;

import io.ganymede.hub.config.HubConfig;
import io.ganymede.hub.scopes.Public;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code GET /hub/api/}: the one unauthenticated endpoint, used by servers to find the hub's version. */
@Path("/hub/api")
public class VersionResource {

    private final HubConfig config;

    VersionResource(HubConfig config) {
        this.config = config;
    }

    @GET
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> version() {
        return Map.of("version", config.jupyterhubVersion());
    }
}
