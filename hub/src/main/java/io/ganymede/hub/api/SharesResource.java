package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.Identities;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.sharing.Recipient;
import io.ganymede.hub.sharing.Shares;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /hub/api/shares/{owner}[/{server}]}: who a user's servers are shared with; granting and
 * revoking, as JupyterHub 5's {@code ServerShareAPIHandler}. The server is the path's second part,
 * empty for the default one ({@code /shares/alice/}).
 */
@Path("/hub/api/shares/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class SharesResource {

    /** A named server; the default one is the owner's path with a trailing slash. */
    static final String NAMED = "{server_name: [^/]+}";

    private final CurrentCaller caller;
    private final Shares shares;
    private final ShareModels models;

    SharesResource(CurrentCaller caller, Shares shares, ShareModels models) {
        this.caller = caller;
        this.shares = shares;
        this.models = models;
    }

    /**
     * The owner's path: with a trailing slash it is their default server's ({@code /shares/alice/},
     * as JupyterHub routes it); without, the list of all their shares, which needs the scope for
     * the owner rather than for one server. The framework matches both alike, so the path decides.
     */
    @GET
    @NeedsScope(value = "read:shares", server = true)
    @Transactional
    public Object ofOwner(@PathParam("name") String name, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit, @Context UriInfo uri) {
        if (ShareRequests.namesServer(uri)) {
            return ofServer(name, "", offset, limit, uri);
        }
        ShareRequests.requireForOwner(caller.require(), "read:shares", name);
        return models.page(shares.ofOwner(JsonBody.user(name)), models::share, offset, limit, uri);
    }

    @GET
    @Path(NAMED)
    @NeedsScope(value = "read:shares", server = true)
    @Transactional
    public Object ofServer(@PathParam("name") String name, @PathParam("server_name") String serverName,
            @QueryParam("offset") String offset, @QueryParam("limit") String limit, @Context UriInfo uri) {
        return models.page(shares.ofServer(ShareRequests.server(name, serverName)), models::share, offset, limit, uri);
    }

    @POST
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Map<String, Object> grantDefault(@PathParam("name") String name, String body, @Context UriInfo uri) {
        return grant(name, ShareRequests.defaultServer(uri), body);
    }

    @POST
    @Path(NAMED)
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Map<String, Object> grant(@PathParam("name") String name, @PathParam("server_name") String serverName,
            String body) {
        ShareRequests.Grant request = ShareRequests.grant(body);
        List<String> scopes = ShareRequests.confined(request.scopes(), name, serverName);
        ServerEntity server = ShareRequests.server(name, serverName);
        Caller who = caller.require();
        ShareRequests.checkMayGrant(who, scopes, name, serverName);
        Recipient to;
        if (request.user() != null) {
            if (!who.permissions().allows("read:users:name", Target.user(request.user(), Identities.groupsOf(request.user())))) {
                throw new ApiException(403, "Need scope 'read:users:name' to share with users by name");
            }
            to = Recipient.of(UserEntity.findByName(request.user())
                    .orElseThrow(() -> ApiException.badRequest("No such user: " + request.user())));
        } else {
            if (!who.permissions().allows("read:groups:name", Target.group(request.group()))) {
                throw new ApiException(403, "Need scope 'read:groups:name' to share with groups by name");
            }
            to = Recipient.of(GroupEntity.findByName(request.group())
                    .orElseThrow(() -> ApiException.badRequest("No such group: " + request.group())));
        }
        return models.share(shares.grant(server, to, scopes));
    }

    @PATCH
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Map<String, Object> revokeDefault(@PathParam("name") String name, String body, @Context UriInfo uri) {
        return revoke(name, ShareRequests.defaultServer(uri), body);
    }

    /** Takes scopes from one recipient (all without {@code scopes}); the share left, or {@code {}}. */
    @PATCH
    @Path(NAMED)
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Map<String, Object> revoke(@PathParam("name") String name, @PathParam("server_name") String serverName,
            String body) {
        ShareRequests.Grant request = ShareRequests.grant(body);
        ServerEntity server = ShareRequests.server(name, serverName);
        List<String> scopes = request.scopes() == null ? null : ShareRequests.confined(request.scopes(), name, serverName);
        // As JupyterHub: revoking from a user or group that does not exist revokes nothing.
        Optional<Recipient> to = request.user() != null
                ? UserEntity.findByName(request.user()).map(Recipient::of)
                : GroupEntity.<GroupEntity>findByName(request.group()).map(Recipient::of);
        return to.flatMap(r -> shares.revoke(server, r, scopes)).map(models::share).orElse(Map.of());
    }

    @DELETE
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Response revokeAllDefault(@PathParam("name") String name, @Context UriInfo uri) {
        return revokeAll(name, ShareRequests.defaultServer(uri));
    }

    @DELETE
    @Path(NAMED)
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Response revokeAll(@PathParam("name") String name, @PathParam("server_name") String serverName) {
        shares.revokeAll(ShareRequests.server(name, serverName));
        return Response.noContent().type(MediaType.TEXT_PLAIN).build();
    }
}
