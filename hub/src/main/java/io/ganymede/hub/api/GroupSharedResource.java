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
 * default server (the slash is needed, as in JupyterHub's routes) or {@code /shared/alice/gpu}.
 */
@Path("/hub/api/groups/{group_name}/shared")
@Produces(MediaType.APPLICATION_JSON)
public class GroupSharedResource {

    /** The owner's default server (with the trailing slash); a named one is under it. */
    private static final String DEFAULT = "{owner}";
    private static final String NAMED = "{owner}/{server_name: [^/]+}";

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
    @Path(DEFAULT)
    @NeedsScope("read:groups:shares")
    @Transactional
    public Map<String, Object> getDefault(@PathParam("group_name") String name, @PathParam("owner") String owner,
            @Context UriInfo uri) {
        return models.share(find(name, owner, null, uri));
    }

    @GET
    @Path(NAMED)
    @NeedsScope("read:groups:shares")
    @Transactional
    public Map<String, Object> get(@PathParam("group_name") String name, @PathParam("owner") String owner,
            @PathParam("server_name") String server, @Context UriInfo uri) {
        return models.share(find(name, owner, server, uri));
    }

    @DELETE
    @Path(DEFAULT)
    @NeedsScope("groups:shares")
    @Transactional
    public Response leaveDefault(@PathParam("group_name") String name, @PathParam("owner") String owner, @Context UriInfo uri) {
        return leave(name, owner, null, uri);
    }

    @DELETE
    @Path(NAMED)
    @NeedsScope("groups:shares")
    @Transactional
    public Response leave(@PathParam("group_name") String name, @PathParam("owner") String owner,
            @PathParam("server_name") String server, @Context UriInfo uri) {
        find(name, owner, server, uri).delete();
        return Response.noContent().type(MediaType.TEXT_PLAIN).build();
    }

    /** The share on {@code owner}'s server, the default one when {@code server} is null and the path says so. */
    private ShareEntity find(String name, String owner, String server, UriInfo uri) {
        GroupEntity recipient = group(name);
        String missing = "No such share for group " + name + " on " + owner + "/" + (server == null ? "" : server);
        String serverName = server != null ? server : ShareRequests.sharedServer(uri, missing);
        return UserEntity.findByName(owner).flatMap(o -> o.server(serverName))
                .flatMap(s -> shares.find(s, Recipient.of(recipient)))
                .orElseThrow(() -> ApiException.notFound(missing));
    }

    private static GroupEntity group(String name) {
        return GroupEntity.findByName(name).orElseThrow(() -> ApiException.notFound("No such group: " + name));
    }
}
