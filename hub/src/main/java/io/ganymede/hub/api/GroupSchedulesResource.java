package io.ganymede.hub.api;

import io.ganymede.hub.schedules.Schedules;
import io.ganymede.hub.schedules.Schedules.Owner;
import io.ganymede.hub.scopes.NeedsScope;
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
 * {@code /hub/api/groups/{group_name}/schedules}: a group's scheduled starts (a Ganymede
 * extension), each run starting every member's server. The model and the checks are those of
 * {@link SchedulesResource}; reading takes {@code read:groups} on the group, changing
 * {@code admin:groups}, as the group's other settings.
 */
@Path("/hub/api/groups/{group_name}/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class GroupSchedulesResource {

    private final Schedules schedules;

    GroupSchedulesResource(Schedules schedules) {
        this.schedules = schedules;
    }

    @GET
    @NeedsScope("read:groups")
    public List<Map<String, Object>> list(@PathParam("group_name") String group) {
        return schedules.list(Owner.group(group));
    }

    @POST
    @NeedsScope("admin:groups")
    public Response create(@PathParam("group_name") String group, String body) {
        return Response.status(201).entity(schedules.create(Owner.group(group), JsonBody.object(body))).build();
    }

    @GET
    @Path("{id}")
    @NeedsScope("read:groups")
    public Map<String, Object> get(@PathParam("group_name") String group, @PathParam("id") String id) {
        return schedules.get(Owner.group(group), id);
    }

    @DELETE
    @Path("{id}")
    @NeedsScope("admin:groups")
    public Response delete(@PathParam("group_name") String group, @PathParam("id") String id) {
        schedules.delete(Owner.group(group), id);
        return Response.noContent().build();
    }
}
