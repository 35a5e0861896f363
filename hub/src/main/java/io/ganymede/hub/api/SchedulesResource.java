package io.ganymede.hub.api;

import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.schedules.Schedules;
import io.ganymede.hub.schedules.Schedules.Owner;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * {@code /hub/api/users/{name}/schedules}: a user's scheduled server starts (a Ganymede extension);
 * {@link GroupSchedulesResource} is the same for a group.
 */
@Path("/hub/api/users/{name}/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class SchedulesResource {

    private final Schedules schedules;

    SchedulesResource(Schedules schedules) {
        this.schedules = schedules;
    }

    @GET
    @NeedsScope("servers")
    public List<Map<String, Object>> list(@PathParam("name") String name) {
        return schedules.list(Owner.user(name));
    }

    @POST
    @NeedsScope("servers")
    public Response create(@PathParam("name") String name, String body) {
        return Response.status(201).entity(schedules.create(Owner.user(name), JsonBody.object(body))).build();
    }

    @GET
    @Path("{id}")
    @NeedsScope("servers")
    public Map<String, Object> get(@PathParam("name") String name, @PathParam("id") String id) {
        return schedules.get(Owner.user(name), id);
    }

    @DELETE
    @Path("{id}")
    @NeedsScope("servers")
    public Response delete(@PathParam("name") String name, @PathParam("id") String id) {
        schedules.delete(Owner.user(name), id);
        return Response.noContent().build();
    }
}
