package io.ganymede.hub.api;

import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.storage.Disks;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * A user's disks: {@code GET|PATCH|DELETE /hub/api/users/{name}/volumes[/{volume}]} for the owner
 * ({@code servers} on themselves) and admins ({@code admin:servers}). The rules are {@link Disks}';
 * every disk at once is {@link VolumeOverviewResource}.
 */
@Path("/hub/api/users/{name}/volumes")
@Produces(MediaType.APPLICATION_JSON)
public class VolumesResource {

    private final Disks disks;

    VolumesResource(Disks disks) {
        this.disks = disks;
    }

    @GET
    @NeedsScope("read:servers")
    public List<Map<String, Object>> list(@PathParam("name") String name) {
        return disks.ofUser(name);
    }

    /** Body {@code {"size": "20Gi"}}. */
    @PATCH
    @Path("{volume}")
    @NeedsScope("servers")
    public Map<String, Object> grow(@PathParam("name") String name, @PathParam("volume") String volume, String body) {
        Object size = JsonBody.object(body).get("size");
        if (size != null && !(size instanceof String)) {
            throw ApiException.badRequest("size must be a string like \"20Gi\", not " + size);
        }
        return disks.grow(name, volume, (String) size);
    }

    @DELETE
    @Path("{volume}")
    @NeedsScope("servers")
    public Response delete(@PathParam("name") String name, @PathParam("volume") String volume) {
        disks.delete(name, volume);
        return Response.noContent().build();
    }
}
