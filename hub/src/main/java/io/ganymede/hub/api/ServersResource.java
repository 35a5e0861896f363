package io.ganymede.hub.api;

import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.spawn.ServerRuntime;
import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Starting, stopping and watching users' servers, default and named. */
@Path("/hub/api/users/{name}")
public class ServersResource {

    private final SpawnCoordinator spawns;
    private final SpawnConfig config;

    ServersResource(SpawnCoordinator spawns, SpawnConfig config) {
        this.spawns = spawns;
        this.config = config;
    }

    @POST
    @Path("server")
    @NeedsScope(value = "start:servers", server = true)
    public Response startDefault(@PathParam("name") String name, String body) {
        return start(name, "", body);
    }

    @POST
    @Path("servers/{server_name}")
    @NeedsScope(value = "start:servers", server = true)
    public Response startNamed(@PathParam("name") String name, @PathParam("server_name") String serverName, String body) {
        checkNamed(config, name, serverName);
        return start(name, serverName, body);
    }

    /**
     * Whether {@code serverName} may be started as a named server of {@code name} (enabled, a valid
     * name, within the per-user limit); the spawn page asks the same.
     *
     * @throws ApiException 400 otherwise
     */
    public static void checkNamed(SpawnConfig config, String name, String serverName) {
        if (!config.allowNamedServers()) {
            throw ApiException.badRequest("Named servers are not enabled.");
        }
        UserNames.serverName(serverName);
        if (config.namedServerLimit() > 0) {
            long named = QuarkusTransaction.requiringNew().call(() -> JsonBody.user(name).servers.stream()
                    .filter(s -> !s.name.isEmpty() && !s.name.equals(serverName)).count());
            if (named >= config.namedServerLimit()) {
                throw ApiException.badRequest("User " + name + " already has the maximum of " + config.namedServerLimit()
                        + " named servers.  One must be deleted before a new server can be created");
            }
        }
    }

    private Response start(String name, String serverName, String body) {
        Map<String, Object> options = JsonBody.object(body);
        QuarkusTransaction.requiringNew().run(() -> JsonBody.user(name));
        SpawnCoordinator.Started started = spawns.start(name, serverName, options);
        return Response.status(started == SpawnCoordinator.Started.READY ? 201 : 202).type(MediaType.TEXT_PLAIN).build();
    }

    @DELETE
    @Path("server")
    @NeedsScope(value = "delete:servers", server = true)
    public Response stopDefault(@PathParam("name") String name, String body) {
        if (Boolean.TRUE.equals(JsonBody.bool(JsonBody.object(body), "remove"))) {
            throw ApiException.badRequest("Cannot delete the default server");
        }
        QuarkusTransaction.requiringNew().run(() -> JsonBody.user(name));
        return stopped(spawns.stop(name, ""));
    }

    @DELETE
    @Path("servers/{server_name}")
    @NeedsScope(value = "delete:servers", server = true)
    public Response stopNamed(@PathParam("name") String name, @PathParam("server_name") String serverName, String body) {
        requireNamedServers();
        boolean remove = Boolean.TRUE.equals(JsonBody.bool(JsonBody.object(body), "remove"));
        QuarkusTransaction.requiringNew().run(() -> {
            UserEntity user = JsonBody.user(name);
            if (user.server(serverName).isEmpty()) {
                throw ApiException.notFound(name + " has no server named '" + serverName + "'");
            }
        });
        boolean done = spawns.stop(name, serverName);
        if (remove && done) {
            QuarkusTransaction.requiringNew().run(() -> JsonBody.user(name).server(serverName).ifPresent(s -> s.delete()));
            spawns.deleteForever(name, serverName);
        }
        return stopped(done);
    }

    private static Response stopped(boolean done) {
        return Response.status(done ? 204 : 202).type(MediaType.TEXT_PLAIN).build();
    }

    private void requireNamedServers() {
        if (!config.allowNamedServers()) {
            throw ApiException.badRequest("Named servers are not enabled.");
        }
    }

    @GET
    @Path("server/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @NeedsScope(value = "read:servers", server = true)
    @Blocking
    public Multi<Map<String, Object>> progressDefault(@PathParam("name") String name) {
        return progress(name, "");
    }

    @GET
    @Path("servers/{server_name}/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @NeedsScope(value = "read:servers", server = true)
    @Blocking
    public Multi<Map<String, Object>> progressNamed(@PathParam("name") String name, @PathParam("server_name") String serverName) {
        return progress(name, serverName);
    }

    /**
     * The spawn's events as they happen; for a server already up, just the ready event; for one
     * neither up nor starting, the outcome of its last start (or a failed event).
     */
    private Multi<Map<String, Object>> progress(String name, String serverName) {
        if (startingElsewhere(name, serverName)) {
            return startElsewhere(name, serverName);
        }
        boolean running = QuarkusTransaction.requiringNew().call(() -> JsonBody.user(name).server(serverName)
                .orElseThrow(() -> ApiException.notFound(name + " has no server named '" + serverName + "'")).running());
        ServerRuntime runtime = spawns.runtime(name, serverName).orElse(null);
        if (runtime != null && (runtime.pending() != null || !running)) {
            return runtime.events();
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("progress", 100);
        if (running) {
            String url = Urls.serverPrefix(name, serverName);
            event.put("ready", true);
            event.put("message", "Server ready at " + url);
            event.put("html_message", "Server ready at <a href=\"" + url + "\">" + url + "</a>");
            event.put("url", url);
        } else {
            event.put("failed", true);
            event.put("message", "Spawn failed");
        }
        return Multi.createFrom().item(event);
    }

    private boolean startingElsewhere(String name, String serverName) {
        return QuarkusTransaction.requiringNew().call(() -> JsonBody.user(name).server(serverName)
                .map(spawns::startingElsewhere).orElse(false));
    }

    /**
     * A start another hub replica runs: its events live there, so this stream says so, follows
     * the database every second, and ends with the outcome as {@link #progress} reports it.
     */
    private Multi<Map<String, Object>> startElsewhere(String name, String serverName) {
        Map<String, Object> starting = new LinkedHashMap<>();
        starting.put("progress", 50);
        starting.put("message", "Your server is starting");
        Multi<Map<String, Object>> outcome = Multi.createFrom().ticks().every(java.time.Duration.ofSeconds(1))
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .filter(tick -> !startingElsewhere(name, serverName))
                .select().first()
                .onItem().transformToMultiAndConcatenate(tick -> progress(name, serverName));
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(starting), outcome);
    }
}
