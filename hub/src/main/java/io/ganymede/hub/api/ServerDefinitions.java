package io.ganymede.hub.api;

import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ScheduleEntity;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server as a record apart from running it (JupyterHub 6.0): created without starting, read,
 * renamed, given a display name or options while stopped; and the rules for named servers that
 * every start (API, spawn page) checks.
 */
@ApplicationScoped
public class ServerDefinitions {

    private static final Set<String> MODIFIABLE = Set.of("name", "display_name", "user_options");

    private final SpawnConfig config;
    private final SpawnCoordinator spawns;
    private final ApiModels models;

    ServerDefinitions(SpawnConfig config, SpawnCoordinator spawns, ApiModels models) {
        this.config = config;
        this.spawns = spawns;
        this.models = models;
    }

    /**
     * Whether {@code name} may have the named server {@code serverName}, as JupyterHub 6.0's
     * {@code _check_named_server_request}: named servers enabled, within the per-user limit
     * ({@code checkLimit}) and, for a server not recorded yet, a valid name and display name.
     * Servers named before 6.0's rule keep working.
     *
     * @throws ApiException 400 otherwise, 404 for an unknown user
     */
    public void checkNamed(String name, String serverName, String displayName, boolean checkLimit) {
        if (!config.allowNamedServers()) {
            throw ApiException.badRequest("Named servers are not enabled.");
        }
        List<String> existing = QuarkusTransaction.requiringNew().call(() -> JsonBody.user(name).servers.stream()
                .map(s -> s.name).toList());
        // The default server is every user's, recorded or not.
        boolean recorded = serverName.isEmpty() || existing.contains(serverName);
        if (checkLimit && config.namedServerLimit() > 0 && !recorded
                && existing.stream().filter(s -> !s.isEmpty()).count() >= config.namedServerLimit()) {
            throw ApiException.badRequest("User " + name + " already has the maximum of " + config.namedServerLimit()
                    + " named servers.  One must be deleted before a new server can be created");
        }
        if (!recorded) {
            UserNames.newServerName(serverName);
            UserNames.displayName(displayName == null || displayName.isEmpty() ? serverName : displayName);
        }
    }

    /** A server's model, stopped or not; the default server exists for every user. */
    public Map<String, Object> model(String name, String serverName, Permissions permissions) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = JsonBody.user(name);
            ServerEntity server = user.server(serverName).orElseGet(() -> serverName.isEmpty() ? unsaved(user) : null);
            if (server == null) {
                throw ApiException.notFound(name + " has no server named '" + serverName + "'");
            }
            return models.server(server, permissions);
        });
    }

    /** The default server before its first start: what the API shows of it, never stored. */
    private static ServerEntity unsaved(UserEntity user) {
        ServerEntity server = new ServerEntity();
        server.user = user;
        server.name = "";
        server.displayName = "";
        return server;
    }

    /** {@code PUT}: records a named server without starting it. */
    public Map<String, Object> create(String name, String serverName, String body, Permissions permissions) {
        QuarkusTransaction.requiringNew().run(() -> {
            UserEntity user = JsonBody.user(name);
            if (serverName.isEmpty()) {
                throw new ApiException(409, "User " + name + " already has a default server");
            }
            if (user.server(serverName).isPresent()) {
                throw new ApiException(409, "User " + name + " already has server " + serverName);
            }
        });
        ServerRequest request = ServerRequest.parse(body);
        String displayName = shown(serverName, request.displayName());
        checkNamed(name, serverName, displayName, true);
        return QuarkusTransaction.requiringNew().call(() -> {
            ServerEntity server = record(JsonBody.user(name), serverName, displayName);
            if (request.userOptions() != null && !request.userOptions().isEmpty()) {
                server.userOptions = JsonColumns.write(request.userOptions());
            }
            return models.server(server, permissions);
        });
    }

    /**
     * Before a start: records the server if new, takes a display name asked for, and answers the
     * options to start with (the server's last ones when none are asked for, as JupyterHub 6.0).
     */
    public Map<String, Object> beforeStart(String name, String serverName, ServerRequest request) {
        if (!serverName.isEmpty()) {
            checkNamed(name, serverName, shown(serverName, request.displayName()), true);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = JsonBody.user(name);
            ServerEntity server = user.server(serverName).orElse(null);
            String displayName = request.displayName() == null || request.displayName().isEmpty() || serverName.isEmpty()
                    ? null : UserNames.displayName(request.displayName());
            if (server == null && !serverName.isEmpty()) {
                server = record(user, serverName, shown(serverName, displayName));
            } else if (server != null && displayName != null) {
                server.displayName = displayName;
            }
            if (request.userOptions() != null) {
                return request.userOptions();
            }
            return server == null ? new LinkedHashMap<>() : JsonColumns.object(server.userOptions);
        });
    }

    /**
     * {@code PATCH}: renames a stopped server or changes its display name or options, checked in
     * JupyterHub 6.0's order (name rules, then existence, then whether it runs, then clashes).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> modify(String name, String serverName, String body, Permissions permissions) {
        Map<String, Object> request = JsonBody.object(body);
        if (request.isEmpty()) {
            throw ApiException.badRequest("Must specify at least one field to modify.");
        }
        if (!MODIFIABLE.containsAll(request.keySet())) {
            throw ApiException.badRequest("Unexpected fields: " + request.keySet() + ", supported fields: name, display_name, user_options");
        }
        Object newName = request.get("name");
        Object displayName = request.containsKey("display_name") ? request.get("display_name") : newName;
        if (request.containsKey("name") && !(newName instanceof String)) {
            throw ApiException.badRequest("name must be a string");
        }
        if (request.containsKey("display_name") && !(displayName instanceof String)) {
            throw ApiException.badRequest("display_name must be a string");
        }
        if (request.containsKey("user_options") && !(request.get("user_options") instanceof Map)) {
            throw ApiException.badRequest("user_options must be a dict");
        }
        if (newName != null) {
            // Renaming the default server makes room for a new one: one more named server.
            checkNamed(name, (String) newName, (String) displayName, serverName.isEmpty());
        } else if (displayName != null) {
            checkNamed(name, serverName, (String) displayName, false);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = JsonBody.user(name);
            ServerEntity server = user.server(serverName).orElseThrow(
                    () -> ApiException.notFound("User " + name + " has no such server " + serverName));
            if (server.running() || spawns.pending(server) != null) {
                throw ApiException.badRequest(SpawnCoordinator.logName(name, serverName)
                        + " is active. Please stop it before modifying it.");
            }
            if (newName != null && !newName.equals(serverName)) {
                // A display name that was just the old name follows the new one; a chosen one stays.
                if (server.displayName == null || server.displayName.equals(serverName)) {
                    server.displayName = (String) newName;
                }
                rename(user, server, (String) newName);
            }
            if (request.containsKey("user_options")) {
                server.userOptions = JsonColumns.write((Map<String, Object>) request.get("user_options"));
            }
            if (request.get("display_name") instanceof String text && !text.isEmpty()) {
                server.displayName = UserNames.displayName(text);
            }
            return models.server(server, permissions);
        });
    }

    /** The user's own schedules for the server follow it; its credentials are issued anew at each start. */
    private static void rename(UserEntity user, ServerEntity server, String newName) {
        if (newName.isEmpty() || user.server(newName).isPresent()) {
            throw new ApiException(409, "User " + user.name + " already has server '" + newName + "'");
        }
        ScheduleEntity.update("serverName = ?1 where user = ?2 and serverName = ?3", newName, user, server.name);
        server.name = newName;
    }

    private static ServerEntity record(UserEntity user, String serverName, String displayName) {
        ServerEntity server = new ServerEntity();
        server.user = user;
        server.name = serverName;
        server.displayName = displayName;
        server.persist();
        user.servers.add(server);
        return server;
    }

    /** A named server's display name: the one asked for, else its name. */
    private static String shown(String serverName, String displayName) {
        return displayName == null || displayName.isEmpty() ? serverName : UserNames.displayName(displayName);
    }
}
