package io.ganymede.hub.api;

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
 * {@code /hub/api/users/{name}/shared}: what is shared with a user, directly or through their groups, and leaving one
 * share, as JupyterHub 5's {@code UserShareAPIHandler}. One share is {@code /shared/alice/} for alice's
 * default server (the slash is needed, as in JupyterHub's routes) or {@code /shared/alice/gpu}.
 */
@Path("/hub/api/users/{name}/shared")
@Produces(MediaType.APPLICATION_JSON)
public class UserSharedResource {

    /** The owner's default server (with the trailing slash); a named one is under it. */
    private static final String DEFAULT = "{owner}";
    private static final String NAMED = "{owner}/{server_name: [^/]+}";

    private final Shares shares;
    private final ShareModels models;

    UserSharedResource(Shares shares, ShareModels models) {
        this.shares = shares;
        this.models = models;
    }

    @GET
    @NeedsScope("read:users:shares")
    @Transactional
    public Object list(@PathParam("name") String name, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit, @Context UriInfo uri) {
        return models.page(shares.with(JsonBody.user(name)), models::share, offset, limit, uri);
    }

    @GET
    @Path(DEFAULT)
    @NeedsScope("read:users:shares")
    @Transactional
    public Map<String, Object> getDefault(@PathParam("name") String name, @PathParam("owner") String owner,
            @Context UriInfo uri) {
        return models.share(find(name, owner, null, uri));
    }

    @GET
    @Path(NAMED)
    @NeedsScope("read:users:shares")
    @Transactional
    public Map<String, Object> get(@PathParam("name") String name, @PathParam("owner") String owner,
            @PathParam("server_name") String server, @Context UriInfo uri) {
        return models.share(find(name, owner, server, uri));
    }

    @DELETE
    @Path(DEFAULT)
    @NeedsScope("users:shares")
    @Transactional
    public Response leaveDefault(@PathParam("name") String name, @PathParam("owner") String owner, @Context UriInfo uri) {
        return leave(name, owner, null, uri);
    }

    @DELETE
    @Path(NAMED)
    @NeedsScope("users:shares")
    @Transactional
    public Response leave(@PathParam("name") String name, @PathParam("owner") String owner,
            @PathParam("server_name") String server, @Context UriInfo uri) {
        find(name, owner, server, uri).delete();
        return Response.noContent().type(MediaType.TEXT_PLAIN).build();
    }

    /** The share on {@code owner}'s server, the default one when {@code server} is null and the path says so. */
    private ShareEntity find(String name, String owner, String server, UriInfo uri) {
        UserEntity recipient = UserEntity.findByName(name).orElseThrow(() -> ApiException.notFound("No such share for user " + name + " on " + owner + "/"));
        String missing = "No such share for user " + name + " on " + owner + "/" + (server == null ? "" : server);
        String serverName = server != null ? server : ShareRequests.sharedServer(uri, missing);
        return UserEntity.findByName(owner).flatMap(o -> o.server(serverName))
                .flatMap(s -> shares.find(s, Recipient.of(recipient)))
                .orElseThrow(() -> ApiException.notFound(missing));
    }
}
