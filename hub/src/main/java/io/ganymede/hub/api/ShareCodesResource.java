package io.ganymede.hub.api;

import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.sharing.ShareCodes;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code /hub/api/share-codes/{owner}[/{server}]}: codes that share a server with whoever accepts
 * them, as JupyterHub 5's {@code ServerShareCodeAPIHandler}. A code is shown once, when made, and
 * always expires.
 */
@Path("/hub/api/share-codes/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class ShareCodesResource {

    

    private final CurrentCaller caller;
    private final ShareCodes codes;
    private final ShareModels models;

    ShareCodesResource(CurrentCaller caller, ShareCodes codes, ShareModels models) {
        this.caller = caller;
        this.codes = codes;
        this.models = models;
    }

    /** All the owner's codes; with a trailing slash, their default server's (as {@link SharesResource#ofOwner}). */
    @GET
    @NeedsScope(value = "read:shares", server = true)
    @Transactional
    public Object ofOwner(@PathParam("name") String name, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit, @Context UriInfo uri) {
        if (ShareRequests.namesServer(uri)) {
            return ofServer(name, "", offset, limit, uri);
        }
        ShareRequests.requireForOwner(caller.require(), "read:shares", name);
        return models.page(codes.ofOwner(JsonBody.user(name)), c -> models.code(c, null), offset, limit, uri);
    }

    @GET
    @Path(SharesResource.NAMED)
    @NeedsScope(value = "read:shares", server = true)
    @Transactional
    public Object ofServer(@PathParam("name") String name, @PathParam("server_name") String serverName,
            @QueryParam("offset") String offset, @QueryParam("limit") String limit, @Context UriInfo uri) {
        return models.page(codes.ofServer(ShareRequests.server(name, serverName)), c -> models.code(c, null),
                offset, limit, uri);
    }

    @POST
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Map<String, Object> issueDefault(@PathParam("name") String name, String body, @Context UriInfo uri) {
        return issue(name, ShareRequests.defaultServer(uri), body);
    }

    @POST
    @Path(SharesResource.NAMED)
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Map<String, Object> issue(@PathParam("name") String name, @PathParam("server_name") String serverName,
            String body) {
        Map<String, Object> request = ShareRequests.code(body);
        Duration lifetime = lifetime(request.get("expires_in"));
        List<String> scopes = ShareRequests.confined(ShareRequests.scopes(request), name, serverName);
        ShareRequests.checkMayGrant(caller.require(), scopes, name, serverName);
        ServerEntity server = ShareRequests.server(name, serverName);
        ShareCodes.Issued issued = codes.issue(server, scopes, lifetime);
        return models.code(issued.entity(), issued.code());
    }

    /** Seconds from a minute to a year, a day when absent, as JupyterHub's {@code ShareCodeGrantRequest}. */
    private static Duration lifetime(Object requested) {
        if (requested == null) {
            return ShareCodes.DEFAULT_LIFETIME;
        }
        if (!(requested instanceof Integer || requested instanceof Long)) {
            throw ApiException.badRequest("expires_in must be an integer number of seconds, not " + requested);
        }
        long seconds = ((Number) requested).longValue();
        if (seconds < ShareCodes.MIN_LIFETIME.toSeconds() || seconds > ShareCodes.MAX_LIFETIME.toSeconds()) {
            throw ApiException.badRequest("expires_in must be from " + ShareCodes.MIN_LIFETIME.toSeconds() + " to "
                    + ShareCodes.MAX_LIFETIME.toSeconds() + " seconds, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** Revokes one code, named by itself ({@code ?code=}) or its id ({@code ?id=sc_1}), or every code of the server. */
    @DELETE
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Response revokeDefault(@PathParam("name") String name, @QueryParam("code") String code,
            @QueryParam("id") String id, @Context UriInfo uri) {
        return revoke(name, ShareRequests.defaultServer(uri), code, id);
    }

    @DELETE
    @Path(SharesResource.NAMED)
    @NeedsScope(value = "shares", server = true)
    @Transactional
    public Response revoke(@PathParam("name") String name, @PathParam("server_name") String serverName,
            @QueryParam("code") String code, @QueryParam("id") String id) {
        ServerEntity server = ShareRequests.server(name, serverName);
        if (code != null && !code.isEmpty()) {
            codes.find(code).filter(c -> c.server.id.equals(server.id))
                    .orElseThrow(() -> ApiException.notFound("No matching code found")).delete();
        } else if (id != null && !id.isEmpty()) {
            codes.byPublicId(server, id).orElseThrow(() -> ApiException.notFound("No code found matching id=" + id))
                    .delete();
        } else {
            codes.revokeAll(server);
        }
        return Response.noContent().type(MediaType.TEXT_PLAIN).build();
    }

}
