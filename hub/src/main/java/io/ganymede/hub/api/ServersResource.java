package io.ganymede.hub.api;

import io.ganymede.hub.persistence.JsonColumns;

import io.ganymede.hub.spawner.ServerHandle;

import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.usage.StopReason;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.spawn.ServerRuntime;
import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Users' servers, default and named: reading, creating and changing them (JupyterHub 6.0), starting, stopping and watching them. */
@Path("/hub/api/users/{name}")
public class ServersResource {

    private final SpawnCoordinator spawns;
    private final SpawnConfig config;
    private final ServerDefinitions definitions;
    private final CurrentCaller caller;

    ServersResource(SpawnCoordinator spawns, SpawnConfig config, ServerDefinitions definitions, CurrentCaller caller) {
        this.spawns = spawns;
        this.config = config;
        this.definitions = definitions;
        this.caller = caller;
    }

    @GET
    @Path("server")
    @Produces(MediaType.APPLICATION_JSON)
    @NeedsScope(value = "read:servers", server = true)
    public Map<String, Object> getDefault(@PathParam("name") String name) {
        return definitions.model(name, "", caller.require().permissions());
    }

    @GET
    @Path("servers/{server_name}")
    @Produces(MediaType.APPLICATION_JSON)
    @NeedsScope(value = "read:servers", server = true)
    public Map<String, Object> getNamed(@PathParam("name") String name, @PathParam("server_name") String serverName) {
        return definitions.model(name, serverName, caller.require().permissions());
    }

    /** Creating the default server makes no sense: every user has one. */
    @PUT
    @Path("server")
    @Produces(MediaType.APPLICATION_JSON)
    @NeedsScope(value = "start:servers", server = true)
    public Response createDefault(@PathParam("name") String name, String body) {
        return createNamed(name, "", body);
    }

    @PUT
    @Path("servers/{server_name}")
    @Produces(MediaType.APPLICATION_JSON)
    @NeedsScope(value = "start:servers", server = true)
    public Response createNamed(@PathParam("name") String name, @PathParam("server_name") String serverName, String body) {
        return Response.status(201).entity(definitions.create(name, serverName, body, caller.require().permissions())).build();
    }

    @PATCH
    @Path("server")
    @Produces(MediaType.APPLICATION_JSON)
    @NeedsScope(value = "start:servers", server = true)
    public Map<String, Object> modifyDefault(@PathParam("name") String name, String body) {
        return definitions.modify(name, "", body, caller.require().permissions());
    }

    @PATCH
    @Path("servers/{server_name}")
    @Produces(MediaType.APPLICATION_JSON)
    @NeedsScope(value = "start:servers", server = true)
    public Map<String, Object> modifyNamed(@PathParam("name") String name, @PathParam("server_name") String serverName, String body) {
        return definitions.modify(name, serverName, body, caller.require().permissions());
    }

    // Starts and stops answer when the server is up (or down) or the slow timeout passes; they hold
    // a request thread only for their checks, so a storm of them leaves other requests threads.
    @POST
    @Path("server")
    @Blocking
    @NeedsScope(value = "start:servers", server = true)
    public Uni<Response> startDefault(@PathParam("name") String name, String body) {
        return start(name, "", body);
    }

    @POST
    @Path("servers/{server_name}")
    @Blocking
    @NeedsScope(value = "start:servers", server = true)
    public Uni<Response> startNamed(@PathParam("name") String name, @PathParam("server_name") String serverName, String body) {
        return start(name, serverName, body);
    }

    private Uni<Response> start(String name, String serverName, String body) {
        ServerRequest request = ServerRequest.parse(body);
        QuarkusTransaction.requiringNew().run(() -> JsonBody.user(name));
        spawns.refuseOverLimit();
        Map<String, Object> options = definitions.beforeStart(name, serverName, request);
        return spawns.startAsync(name, serverName, options).onItem().transform(started -> Response
                .status(started == SpawnCoordinator.Started.READY ? 201 : 202).type(MediaType.TEXT_PLAIN).build());
    }

    /** Its owner's stop, or someone else's (an admin, a service) for the usage record. */
    private StopReason stopReason(String owner) {
        var who = caller.require();
        return !who.service() && who.name().equals(owner) ? StopReason.USER : StopReason.ADMIN;
    }

    @DELETE
    @Path("server")
    @Blocking
    @NeedsScope(value = "delete:servers", server = true)
    public Uni<Response> stopDefault(@PathParam("name") String name, String body) {
        if (Boolean.TRUE.equals(JsonBody.bool(JsonBody.object(body), "remove"))) {
            throw ApiException.badRequest("Cannot delete the default server");
        }
        QuarkusTransaction.requiringNew().run(() -> JsonBody.user(name));
        return spawns.stopAsync(name, "", stopReason(name)).onItem().transform(ServersResource::stopped);
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
        boolean done = spawns.stop(name, serverName, stopReason(name));
        if (remove && done) {
            // Its last start's state names its disk, which goes with it.
            QuarkusTransaction.requiringNew().call(() -> JsonBody.user(name).server(serverName).map(s -> {
                s.delete();
                return new ServerHandle(name, serverName, JsonColumns.strings(s.spawnerState));
            })).ifPresent(spawns::deleteForever);
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
