package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.Identities;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.RoleCatalog;
import io.ganymede.hub.scopes.Roles;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.tokens.TokenService;
import io.ganymede.hub.tokens.TokensConfig;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /hub/api/users/{name}/tokens}: a user's API tokens. Secrets are shown once, at creation. */
@Path("/hub/api/users/{name}/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokensResource {

    private final CurrentCaller caller;
    private final TokenService tokens;

    private final Identities identities;
    private final RoleCatalog roles;
    private final TokensConfig config;

    TokensResource(CurrentCaller caller, TokenService tokens, Identities identities, RoleCatalog roles, TokensConfig config) {
        this.config = config;
        this.identities = identities;
        this.roles = roles;
        this.caller = caller;
        this.tokens = tokens;
    }

    @GET
    @NeedsScope("read:tokens")
    @Transactional
    public Map<String, Object> list(@PathParam("name") String name) {
        UserEntity user = JsonBody.user(name);
        return Map.of("api_tokens", tokens.listed(user).stream().map(ApiModels::token).toList());
    }

    /** Authorization is checked here, not by scope alone: an unknown user must look like a forbidden one. */
    @POST
    @NeedsScope({})
    @Transactional
    public Response create(@PathParam("name") String name, String body) {
        Caller requester = caller.require();
        Map<String, Object> request = JsonBody.object(body);
        UserEntity user = UserEntity.findByName(name).orElse(null);
        if (user == null || !requester.permissions().allows("tokens", Target.user(user.name, user.groupNames()))) {
            throw new ApiException(403, requester.kind().substring(0, 1).toUpperCase() + requester.kind().substring(1)
                    + " " + name + " not found or no permissions to generate tokens");
        }
        List<String> roles = JsonBody.strings(request, "roles");
        List<String> scopes = JsonBody.strings(request, "scopes");
        Duration expiresIn = expiresIn(request.get("expires_in"));
        if (request.get("note") != null && !(request.get("note") instanceof String)) {
            throw ApiException.badRequest("token note must be null or a string, not " + request.get("note"));
        }
        Lengths.check("token note", (String) request.get("note"), TokenEntity.NOTE_LENGTH);
        List<String> raw = requestedScopes(roles, scopes);
        checkHeldByOwner(raw, user);
        String note = request.get("note") instanceof String text && !text.isBlank() ? text : "Requested via api"
                + (requester.name().equals(user.name) ? "" : " by " + requester.kind() + " " + requester.name());
        TokenService.Issued issued = tokens.issue(user, TokenEntity.Kind.api, raw, note, expiresIn, null, null);
        Map<String, Object> model = new java.util.LinkedHashMap<>(ApiModels.token(issued.token()));
        model.put("token", issued.secret());
        return Response.status(201).entity(model).build();
    }

    /**
     * The lifetime asked for, as JupyterHub checks it: a positive integer of seconds, at most the
     * configured maximum, which is also the lifetime of a token asking none; without a maximum,
     * at most {@link TokensConfig#CEILING}, and none means never.
     */
    private Duration expiresIn(Object requested) {
        if (requested != null && !(requested instanceof Integer || requested instanceof Long)) {
            throw ApiException.badRequest("token expires_in must be null or integer, not " + requested);
        }
        long max = Math.max(0, config.expiresInMax().toSeconds());
        if (requested == null) {
            return max == 0 ? null : Duration.ofSeconds(Math.min(max, TokensConfig.CEILING.toSeconds()));
        }
        long seconds = ((Number) requested).longValue();
        if (seconds <= 0) {
            throw ApiException.badRequest("token expires_in must be positive, not " + requested);
        }
        if (max > 0 && seconds > max) {
            throw ApiException.badRequest("token expires_in: " + seconds + " must not exceed " + max);
        }
        if (seconds > TokensConfig.CEILING.toSeconds()) {
            throw ApiException.badRequest("token expires_in: " + seconds + " must not exceed "
                    + TokensConfig.CEILING.toSeconds() + " (100 years)");
        }
        return Duration.ofSeconds(seconds);
    }

    /** No roles or scopes: the {@code token} role, i.e. everything the owner may do. */
    private List<String> requestedScopes(List<String> roles, List<String> scopes) {
        if (roles == null && scopes == null) {
            return Roles.scopes(Roles.TOKEN);
        }
        List<String> raw = new ArrayList<>();
        for (String role : roles == null ? List.<String>of() : roles) {
            if (!this.roles.exists(role)) {
                throw ApiException.badRequest("Role " + role + " does not exist");
            }
            raw.addAll(this.roles.scopes(role));
        }
        raw.addAll(scopes == null ? List.of() : scopes);
        return raw;
    }

    /** A token may not carry scopes its owner does not hold (JupyterHub refuses rather than trims). */
    private void checkHeldByOwner(List<String> raw, UserEntity user) {
        Permissions requested;
        try {
            requested = Permissions.expand(raw, user.name, null);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (raw.contains("inherit")) {
            return;
        }
        Permissions owner = identities.ownerPermissions(user);
        Set<String> missing = new java.util.TreeSet<>(requested.asStrings());
        missing.removeAll(requested.intersect(owner, Identities::groupsOf).asStrings());
        if (!missing.isEmpty()) {
            throw new ApiException(403, "Not assigning requested scopes " + missing + " not held by " + user.name);
        }
    }

    @GET
    @Path("{token_id}")
    @NeedsScope("read:tokens")
    @Transactional
    public Map<String, Object> get(@PathParam("name") String name, @PathParam("token_id") String tokenId) {
        return ApiModels.token(find(JsonBody.user(name), tokenId));
    }

    @DELETE
    @Path("{token_id}")
    @NeedsScope("tokens")
    @Transactional
    public Response delete(@PathParam("name") String name, @PathParam("token_id") String tokenId) {
        UserEntity user = JsonBody.user(name);
        TokenEntity token = find(user, tokenId);
        if (token.kind == TokenEntity.Kind.oauth) {
            // As JupyterHub: revoking one OAuth token revokes all the client issued to this user.
            tokens.revokeClient(user, token.clientId);
        } else {
            token.delete();
        }
        return Response.noContent().type(MediaType.TEXT_PLAIN).build();
    }

    private TokenEntity find(UserEntity user, String tokenId) {
        ApiException notFound = ApiException.notFound("No such token " + tokenId + " for user " + user.name);
        if (!tokenId.startsWith("a")) {
            throw notFound;
        }
        long id;
        try {
            id = Long.parseLong(tokenId.substring(1));
        } catch (NumberFormatException e) {
            throw notFound;
        }
        return tokens.listed(user).stream().filter(t -> t.id == id).findFirst().orElseThrow(() -> notFound);
    }
}
