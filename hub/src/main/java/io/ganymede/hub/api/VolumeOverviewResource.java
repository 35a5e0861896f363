package io.ganymede.hub.api;

import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.storage.Disks;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code GET /hub/api/volumes}: every disk, largest first, with totals per storage class and
 * group, and orphans; {@code DELETE /hub/api/volumes/{namespace}/{volume}} removes any disk no
 * server uses, an orphan whose user is gone included.
 */
@Path("/hub/api/volumes")
@Produces(MediaType.APPLICATION_JSON)
public class VolumeOverviewResource {

    private final Disks disks;
    private final CurrentCaller caller;

    VolumeOverviewResource(Disks disks, CurrentCaller caller) {
        this.disks = disks;
        this.caller = caller;
    }

    /**
     * The disks of the users the caller may administer; orphans (whose user or server is gone)
     * only with an unfiltered {@code admin:servers}, as no filter can name them.
     */
    @GET
    @NeedsScope("admin:servers")
    public Map<String, Object> all() {
        Permissions p = caller.require().permissions();
        return disks.overview(o -> p.allows("admin:servers", Target.user(o.name(), o.groups())),
                p.holdsUnfiltered("admin:servers"));
    }

    /** Any disk, by where it lives: the way to clear an orphan. Needs {@code admin:servers} for every user. */
    @DELETE
    @Path("{namespace}/{volume}")
    @NeedsScope("admin:servers")
    public Response delete(@PathParam("namespace") String namespace, @PathParam("volume") String volume) {
        if (!caller.require().permissions().holdsUnfiltered("admin:servers")) {
            throw new ApiException(403, "Deleting any disk needs admin:servers for every user");
        }
        disks.deleteAny(namespace, volume);
        return Response.noContent().build();
    }
}
