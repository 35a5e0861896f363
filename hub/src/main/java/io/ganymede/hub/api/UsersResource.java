package io.ganymede.hub.api;

import io.ganymede.hub.persistence.JsonColumns;

import io.ganymede.hub.usage.StopReason;
import io.ganymede.hub.spawner.ServerHandle;

import io.ganymede.hub.activity.ActivityBuffer;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserOrder;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.persistence.UserView;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.spawn.SpawnCoordinator;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code /hub/api/users}: JupyterHub's user endpoints. */
@Path("/hub/api/users")
@Produces({MediaType.APPLICATION_JSON, Pages.MEDIA_TYPE})
public class UsersResource {

    private final CurrentCaller caller;
    private final ApiModels models;
    private final SpawnCoordinator spawns;
    private final ActivityBuffer activity;
    private final Clock clock;

    UsersResource(CurrentCaller caller, ApiModels models, SpawnCoordinator spawns, ActivityBuffer activity, Clock clock) {
        this.caller = caller;
        this.models = models;
        this.spawns = spawns;
        this.activity = activity;
        this.clock = clock;
    }

    /** Reads only, so outside a transaction: beginning and committing one cost a tenth of a page. */
    @GET
    @NeedsScope("list:users")
    public Object list(@QueryParam("state") String state, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit, @QueryParam("name_filter") String nameFilter,
            @QueryParam("sort") String sort, @Context HttpHeaders headers, @Context UriInfo uri) {
        Pages pages = Pages.of(offset, limit, headers);
        UserOrder order = sort == null ? UserOrder.ID : UserOrder.parse(sort).orElseThrow(() -> ApiException.badRequest(
                "sort must be 'id', 'name', or 'last_activity', not '" + sort + "'"));
        Permissions permissions = caller.require().permissions();
        if (state != null && !List.of("active", "ready", "inactive").contains(state)) {
            throw ApiException.badRequest("Unrecognized state filter: " + state + "; must be one of active, ready, inactive");
        }
        List<UserView> page;
        long total;
        if (state == null && nameFilter == null && permissions.holdsUnfiltered("list:users")) {
            // The common case (admins, the culler): the database pages, and the page is read as rows.
            total = UserView.count();
            page = UserView.page(pages.offset(), pages.limit(), order);
        } else {
            List<UserEntity> matching = candidates(state, order).filter(u -> nameFilter == null || u.name.startsWith(nameFilter))
                    .filter(u -> permissions.allows("list:users", Target.user(u.name, u.groupNames())))
                    .filter(u -> matchesState(u, state))
                    .toList();
            total = matching.size();
            page = matching.stream().skip(pages.offset()).limit(pages.limit()).map(UserView::of).toList();
        }
        boolean readyOnly = "ready".equals(state);
        List<Map<String, Object>> items = new ArrayList<>(page.size());
        for (UserView user : page) {
            items.add(models.user(user, permissions, readyOnly));
        }
        return pages.body(items, total, uri);
    }

    /** Read whole, not streamed: outside a transaction the lazy loads on the way would close a streamed result. */
    private Stream<UserEntity> candidates(String state, UserOrder order) {
        String running = "ready".equals(state) ? " where exists (select s from ServerEntity s where s.user = u and s.url is not null)" : "";
        return UserEntity.<UserEntity>find("select u from UserEntity u" + running + " order by " + order.hql("u")).list().stream();
    }

    private boolean matchesState(UserEntity user, String state) {
        if (state == null) {
            return true;
        }
        boolean ready = false;
        boolean active = false;
        for (ServerEntity server : user.servers) {
            String pending = spawns.pending(user.name, server.name);
            ready |= server.running() && pending == null;
            active |= server.running() || pending != null;
        }
        return switch (state) {
            case "ready" -> ready;
            case "active" -> active;
            default -> !active;
        };
    }

    @POST
    @NeedsScope("admin:users")
    @Transactional
    public Response createMany(String body) {
        Map<String, Object> request = JsonBody.object(body);
        List<String> names = JsonBody.strings(request, "usernames");
        if (names == null || names.isEmpty()) {
            throw ApiException.badRequest("Must specify at least one user to create");
        }
        boolean admin = Boolean.TRUE.equals(JsonBody.bool(request, "admin"));
        requireAdminToGrantAdmin(admin);
        List<String> normalized = names.stream().map(UserNames::normalize).distinct().toList();
        // One query for the names taken, not one per name: each query would flush (and
        // dirty-check) every user created so far in this transaction.
        java.util.Set<String> existing = new java.util.HashSet<>(UserEntity.getEntityManager()
                .createQuery("select u.name from UserEntity u where u.name in :names", String.class)
                .setParameter("names", normalized).getResultList());
        Permissions permissions = caller.require().permissions();
        List<Map<String, Object>> created = new ArrayList<>();
        for (String name : normalized) {
            if (!existing.contains(name)) {
                created.add(models.user(newUser(name, admin), permissions));
            }
        }
        if (created.isEmpty()) {
            throw new ApiException(409, "All " + normalized.size() + " users already exist");
        }
        return Response.status(201).entity(created).build();
    }

    /** Reads only, as {@link #list}. */
    @GET
    @Path("{name}")
    @NeedsScope({"read:users", "read:users:name", "read:servers", "read:users:groups", "read:users:activity"})
    public Map<String, Object> get(@PathParam("name") String name) {
        UserView user = UserView.byName(name).orElseThrow(() -> ApiException.notFound("No such user: " + name));
        return models.user(user, caller.require().permissions(), false);
    }

    @POST
    @Path("{name}")
    @NeedsScope("admin:users")
    @Transactional
    public Response create(@PathParam("name") String name, String body) {
        Map<String, Object> request = JsonBody.object(body);
        String normalized = UserNames.normalize(name);
        if (UserEntity.findByName(normalized).isPresent()) {
            throw new ApiException(409, "User " + normalized + " already exists");
        }
        boolean admin = Boolean.TRUE.equals(JsonBody.bool(request, "admin"));
        requireAdminToGrantAdmin(admin);
        UserEntity user = newUser(normalized, admin);
        return Response.status(201).entity(models.user(user, caller.require().permissions())).build();
    }

    /**
     * JupyterHub 5.1's rule: {@code admin:users} without being an admin does not reach admins, so
     * a delegated user manager cannot make an admin, or change one (to take their name, say).
     */
    private void requireAdminToGrantAdmin(boolean grant) {
        if (grant && !caller.require().admin()) {
            throw new ApiException(403, "Only admins can grant admin permissions");
        }
    }

    private UserEntity newUser(String name, boolean admin) {
        UserEntity user = new UserEntity();
        user.name = name;
        user.admin = admin;
        user.created = clock.instant();
        user.persist();
        return user;
    }

    @PATCH
    @Path("{name}")
    @NeedsScope("admin:users")
    @Transactional
    public Map<String, Object> update(@PathParam("name") String name, String body) {
        Map<String, Object> request = JsonBody.object(body);
        UserEntity user = JsonBody.user(name);
        // As JupyterHub's _check_user_model: an unknown key is a mistake, not something to ignore.
        for (String key : request.keySet()) {
            if (!List.of("name", "admin").contains(key)) {
                throw ApiException.badRequest("Invalid JSON keys: " + request.keySet() + "; a user can be given a new name or admin");
            }
        }
        if (user.admin && !caller.require().admin()) {
            throw new ApiException(403, "Only admins can modify other admins");
        }
        requireAdminToGrantAdmin(Boolean.TRUE.equals(JsonBody.bool(request, "admin")));
        Object newName = request.get("name");
        if (newName != null) {
            if (!(newName instanceof String text)) {
                throw ApiException.badRequest("name must be a string");
            }
            String normalized = UserNames.normalize(text);
            if (!normalized.equals(user.name)) {
                if (UserEntity.findByName(normalized).isPresent()) {
                    throw ApiException.badRequest("User " + normalized + " already exists, username must be unique");
                }
                if (user.servers.stream().anyMatch(s -> s.running() || spawns.pending(user.name, s.name) != null)) {
                    throw ApiException.badRequest("Cannot rename " + user.name + " while a server runs");
                }
                user.name = normalized;
            }
        }
        Boolean admin = JsonBody.bool(request, "admin");
        if (admin != null) {
            user.admin = admin;
        }
        return models.user(user, caller.require().permissions());
    }

    @DELETE
    @Path("{name}")
    @NeedsScope("delete:users")
    public Response delete(@PathParam("name") String name) {
        io.ganymede.hub.auth.Caller requester = caller.require();
        List<ServerHandle> all = new ArrayList<>();
        List<String> servers = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = JsonBody.user(name);
            if (!requester.service() && requester.name().equals(user.name)) {
                throw ApiException.badRequest("Cannot delete yourself!");
            }
            for (ServerEntity server : user.servers) {
                String pending = spawns.pending(user.name, server.name);
                if (pending != null) {
                    throw ApiException.badRequest(user.name + "'s server " + server.name + " is pending " + pending + ", try again later");
                }
            }
            user.servers.forEach(s -> all.add(new ServerHandle(user.name, s.name, JsonColumns.strings(s.spawnerState))));
            return user.servers.stream().filter(ServerEntity::running).map(s -> s.name).toList();
        });
        for (String server : servers) {
            spawns.stop(name, server, StopReason.ADMIN);
        }
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> JsonBody.user(name).delete());
        // A claim still mounted by a pod that is stopping is removed by Kubernetes once the pod is gone.
        all.forEach(spawns::deleteForever);
        spawns.deleteForever(name);
        return Response.noContent().build();
    }

    /**
     * Checked here with the same answers as ever; the times go to {@link ActivityBuffer}, which
     * writes them in batches, so a report costs a user lookup and no transaction.
     */
    @POST
    @Path("{name}/activity")
    @NeedsScope("users:activity")
    public Response activity(@PathParam("name") String name, String body) {
        Map<String, Object> request = JsonBody.object(body);
        UserEntity user = JsonBody.user(name);
        if (request.get("last_activity") == null && request.get("servers") == null) {
            throw ApiException.badRequest("body must contain at least one of `last_activity` or `servers`");
        }
        // Everything is checked before anything is recorded: a bad report changes nothing.
        Instant newest = request.get("last_activity") == null ? null : reported(request.get("last_activity"), "last_activity");
        List<Runnable> servers = new ArrayList<>();
        if (request.get("servers") != null) {
            if (!(request.get("servers") instanceof Map<?, ?> byName)) {
                throw ApiException.badRequest("servers must be a dict of server names to activity");
            }
            Long tokenId = caller.require().tokenId();
            TokenEntity token = tokenId == null ? null : TokenEntity.findById(tokenId);
            for (var entry : byName.entrySet()) {
                String serverName = String.valueOf(entry.getKey());
                ServerEntity server = user.server(serverName).orElseThrow(
                        () -> ApiException.badRequest("No such server '" + serverName + "' for user " + user.name));
                if (!(entry.getValue() instanceof Map<?, ?> times) || !times.containsKey("last_activity")) {
                    throw ApiException.badRequest("servers." + serverName + " must be a dict with last_activity");
                }
                Instant when = reported(times.get("last_activity"), "servers." + serverName + ".last_activity");
                // The culler tells a server's own reports from other activity (see io.ganymede.hub.culler).
                boolean own = token != null && token.kind == TokenEntity.Kind.server
                        && token.server != null && server.id.equals(token.server.id);
                servers.add(own ? () -> activity.report(server, when) : () -> activity.keepAlive(server, when));
                newest = newest == null || when.isAfter(newest) ? when : newest;
            }
        }
        servers.forEach(Runnable::run);
        if (newest != null) {
            activity.user(user, newest);
        }
        return Response.ok().build();
    }

    /** A reported time; as JupyterHub, one more than an hour ahead is a broken clock, not activity. */
    private Instant reported(Object value, String what) {
        Instant when = JsonBody.time(value, what);
        if (when.isAfter(clock.instant().plus(java.time.Duration.ofHours(1)))) {
            throw ApiException.badRequest("Rejecting activity from more than an hour in the future: " + ApiModels.iso(when));
        }
        return when;
    }
}
