package io.ganymede.hub.api;

import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.ShareEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.sharing.Recipient;
import io.ganymede.hub.sharing.Shares;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;

/**
 * {@code /hub/api/groups/{name}/shared}: what is shared with a group, and leaving one
 * share, as JupyterHub 5's {@code GroupShareAPIHandler}. One share is {@code /shared/alice/} for alice's
 * default server (the slash is needed) or {@code /shared/alice/gpu}.
 */
@Path("/hub/api/groups/{group_name}/shared")
@Produces(MediaType.APPLICATION_JSON)
public class GroupSharedResource {

    private static final String ONE = "{owner}{server: (/[^/]*)?}";

    private final Shares shares;
    private final ShareModels models;

    GroupSharedResource(Shares shares, ShareModels models) {
        this.shares = shares;
        this.models = models;
    }

    @GET
    @NeedsScope("read:groups:shares")
    @Transactional
    public Object list(@PathParam("group_name") String name, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit, @Context UriInfo uri) {
        return models.page(shares.with(group(name)), models::share, offset, limit, uri);
    }

    @GET
    @Path(ONE)
    @NeedsScope("read:groups:shares")
    @Transactional
    public Map<String, Object> get(@PathParam("group_name") String name, @PathParam("owner") String owner,
            @PathParam("server") String server, @Context UriInfo uri) {
        return models.share(find(name, owner, server, uri));
    }

    @DELETE
    @Path(ONE)
    @NeedsScope("groups:shares")
    @Transactional
    public Response leave(@PathParam("group_name") String name, @PathParam("owner") String owner,
            @PathParam("server") String server, @Context UriInfo uri) {
        find(name, owner, server, uri).delete();
        return Response.noContent().type(MediaType.TEXT_PLAIN).build();
    }

    private ShareEntity find(String name, String owner, String part, UriInfo uri) {
        GroupEntity recipient = group(name);
        String missing = "No such share for group " + name + " on " + owner + "/" + (part == null ? "" : part.replaceFirst("^/", ""));
        String server = ShareRequests.sharedServer(part, uri, missing);
        return UserEntity.findByName(owner).flatMap(o -> o.server(server))
                .flatMap(s -> shares.find(s, Recipient.of(recipient)))
                .orElseThrow(() -> ApiException.notFound(missing));
    }

    private static GroupEntity group(String name) {
        return GroupEntity.findByName(name).orElseThrow(() -> ApiException.notFound("No such group: " + name));
    }
}
