package io.ganymede.hub.proxy;

import io.ganymede.hub.config.HubAddress;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps the proxy's routing table equal to the running servers (a restarted proxy forgets every
 * route) and carries the proxy's per-route {@code last_activity} into users and servers.
 */
@ApplicationScoped
public class ProxySync {

    private static final Logger LOG = Logger.getLogger(ProxySync.class);

    private final ProxyClient proxy;
    private final SpawnCoordinator spawns;
    private final HubAddress hub;

    ProxySync(ProxyClient proxy, SpawnCoordinator spawns, HubAddress hub) {
        this.proxy = proxy;
        this.spawns = spawns;
        this.hub = hub;
    }

    @Scheduled(every = "${ganymede.proxy.check-interval}", delayed = "${ganymede.proxy.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(e -> LOG.warnf("route check failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** One pass: add missing routes, drop stale ones, record activity. */
    public Uni<Void> run() {
        return proxy.routes(null).chain(routes -> Uni.createFrom().item(() -> reconcile(routes))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .chain(changes -> {
                    List<Uni<Void>> calls = new ArrayList<>();
                    changes.add().forEach((path, route) -> calls.add(proxy.addRoute(path, route.target(), route.data())));
                    changes.delete().forEach(path -> calls.add(proxy.deleteRoute(path)));
                    if (!calls.isEmpty()) {
                        LOG.infof("repairing routes: adding %s, removing %s", changes.add().keySet(), changes.delete());
                    }
                    return calls.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(calls).andCollectFailures().replaceWithVoid();
                });
    }

    private record Route(String target, Map<String, Object> data) {}

    private record Changes(Map<String, Route> add, List<String> delete) {}

    private Changes reconcile(JsonObject routes) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Route> wanted = new HashMap<>();
            // As JupyterHub: everything no server claims goes to the hub, even on a proxy without a default target.
            wanted.put("/", new Route(hub.internalUrl(), Map.of("hub", true)));
            List<ServerEntity> running = ServerEntity.list("url is not null");
            for (ServerEntity server : running) {
                if (spawns.pending(server.user.name, server.name) != null) {
                    continue;
                }
                String prefix = Urls.serverPrefix(server.user.name, server.name);
                Map<String, Object> data = new LinkedHashMap<>(JsonColumns.object(server.routeData));
                data.put("jupyterhub", true);
                data.put("user", server.user.name);
                data.put("server_name", server.name);
                wanted.put(prefix, new Route(server.url, data));
                JsonObject existing = routes.getJsonObject(prefix);
                if (existing != null && existing.getString("last_activity") != null) {
                    Instant active = OffsetDateTime.parse(existing.getString("last_activity")).toInstant();
                    server.touch(active);
                    server.user.touch(active);
                }
            }
            Map<String, Route> add = new HashMap<>();
            wanted.forEach((path, route) -> {
                JsonObject existing = routes.getJsonObject(path);
                if (existing == null || !route.target().equals(existing.getString("target"))) {
                    add.put(path, route);
                }
            });
            List<String> delete = new ArrayList<>();
            for (String path : routes.fieldNames()) {
                JsonObject data = routes.getJsonObject(path);
                boolean ours = data != null && Boolean.TRUE.equals(data.getValue("jupyterhub"));
                boolean startingNow = data != null && spawns.pending(String.valueOf(data.getValue("user")),
                        String.valueOf(data.getValue("server_name", ""))) != null;
                if (ours && !wanted.containsKey(path) && !startingNow) {
                    delete.add(path);
                }
            }
            return new Changes(add, delete);
        });
    }
}
