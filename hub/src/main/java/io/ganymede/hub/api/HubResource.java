package io.ganymede.hub.api;

import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.config.HubConfig;
import io.ganymede.hub.proxy.ProxyClient;
import io.ganymede.hub.proxy.ProxySync;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.spawn.HubShutdown;
import io.ganymede.hub.spawn.SpawnConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** The hub-wide endpoints: who am I, info, the proxy's routing table, shutdown. */
@Path("/hub/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking // the caller is resolved from the database before any method runs
public class HubResource {

    private final CurrentCaller caller;
    private final ApiModels models;
    private final HubConfig config;
    private final SpawnConfig spawn;
    private final ProxyClient proxy;
    private final ProxySync sync;
    private final HubShutdown shutdown;

    HubResource(CurrentCaller caller, ApiModels models, HubConfig config, SpawnConfig spawn, ProxyClient proxy, ProxySync sync,
            HubShutdown shutdown) {
        this.shutdown = shutdown;
        this.caller = caller;
        this.models = models;
        this.config = config;
        this.spawn = spawn;
        this.proxy = proxy;
        this.sync = sync;
    }

    @GET
    @Path("user")
    @NeedsScope({})
    @Transactional
    public Map<String, Object> whoami() {
        return models.whoami(caller.require());
    }

    @GET
    @Path("info")
    @NeedsScope("read:hub")
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", config.jupyterhubVersion());
        info.put("ganymede_version", HubResource.class.getPackage().getImplementationVersion());
        info.put("java", System.getProperty("java.version"));
        info.put("spawner", Map.of("class", spawn.kind(), "version", config.jupyterhubVersion()));
        info.put("sys_executable", ProcessHandle.current().info().command().orElse("java"));
        return info;
    }

    @GET
    @Path("proxy")
    @NeedsScope("proxy")
    public Uni<Map<String, Object>> routes() {
        return proxy.routes(null).map(routes -> routes.getMap());
    }

    /** Forces a check of the routing table against the running servers. */
    @POST
    @Path("proxy")
    @NeedsScope("proxy")
    public Uni<Response> syncRoutes() {
        return sync.run().replaceWith(Response.ok().build());
    }

    @POST
    @Path("shutdown")
    @NeedsScope("shutdown")
    public Response shutdown(String body, @Context RoutingContext http) {
        Map<String, Object> request = JsonBody.object(body);
        if (request.get("proxy") != null) {
            JsonBody.bool(request, "proxy"); // accepted for JupyterHub's clients; the embedded proxy always ends with the hub
        }
        Boolean servers = JsonBody.bool(request, "servers");
        // As JupyterHub, answer first: ending at once would close the HTTP server before the 202 is written.
        http.addEndHandler(sent -> shutdown.request(servers));
        return Response.status(202).entity(Map.of("message", "Shutting down Hub")).build();
    }
}
