package io.ganymede.hub.api;

import io.ganymede.hub.apps.TeamApps;
import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code /hub/api/services/<name>/app}: a managed team app's run (a Ganymede extension). Its
 * start's progress, as a server's ({@code access:services} on it, which those who may open it
 * hold), and an admin's stop ({@code admin:services}).
 */
@Path("/hub/api/services/{service_name}/app")
@Blocking
public class ServiceAppResource {

    private final TeamApps apps;

    ServiceAppResource(TeamApps apps) {
        this.apps = apps;
    }

    /** Stops the app now (reason {@code admin}); 204 also when it was not running. */
    @DELETE
    @NeedsScope("admin:services")
    @Produces(MediaType.APPLICATION_JSON)
    public Response stop(@PathParam("service_name") String name) {
        apps.app(name);
        apps.stop(name, ServiceAppEntity.StopReason.ADMIN);
        return Response.noContent().build();
    }

    @GET
    @Path("progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @NeedsScope("access:services")
    public Multi<Map<String, Object>> progress(@PathParam("service_name") String name) {
        apps.app(name);
        return apps.progress(name);
    }
}
