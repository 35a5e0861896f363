package io.ganymede.hub.proxy;

import io.ganymede.hub.config.HubAddress;
import io.ganymede.hub.leader.Leadership;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.services.AppDefinition;
import io.ganymede.hub.services.ServiceDefinition;
import io.ganymede.hub.services.Services;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.spawn.RouteData;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps the proxy's routing table equal to the running servers, the services and the running managed apps (a restarted
 * proxy forgets every route) and carries the proxy's per-route {@code last_activity} into users and servers.
 */
@ApplicationScoped
public class ProxySync {

    private static final Logger LOG = Logger.getLogger(ProxySync.class);

    private final ProxyClient proxy;
    private final SpawnCoordinator spawns;
    private final HubAddress hub;
    private final Leadership leadership;
    private final Services services;

    ProxySync(ProxyClient proxy, SpawnCoordinator spawns, HubAddress hub, Leadership leadership, Services services) {
        this.proxy = proxy;
        this.services = services;
        this.spawns = spawns;
        this.hub = hub;
        this.leadership = leadership;
    }

    /** The periodic pass runs on the leader only: one replica repairs, and activity is read once. */
    @Scheduled(every = "${ganymede.proxy.check-interval}", delayed = "${ganymede.proxy.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!leadership.isLeader()) {
            return Uni.createFrom().voidItem();
        }
        return run().onFailure().invoke(e -> LOG.warnf("route check failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** One pass: on each replica add missing routes and drop stale ones; record activity from all. */
    public Uni<Void> run() {
        return proxy.endpoints().chain(endpoints -> Uni.join().all(endpoints.stream()
                        .map(endpoint -> proxy.routesOf(endpoint, null)).toList()).andFailFast()
                .chain(tables -> Uni.createFrom().item(() -> {
                            recordActivity(ProxyClient.merge(tables, false));
                            List<Uni<Void>> calls = new ArrayList<>();
                            Set<String> starting = new HashSet<>();
                            Map<String, Route> wanted = wanted(starting);
                            for (int i = 0; i < endpoints.size(); i++) {
                                calls.addAll(repairs(endpoints.get(i), tables.get(i), wanted, starting));
                            }
                            return calls;
                        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .chain(calls -> calls.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(calls).andCollectFailures().replaceWithVoid()));
    }

    private record Route(String target, Map<String, Object> data) {}

    /**
     * The routes the running servers, the services with a URL (and the hub) should have. Servers starting (on any replica)
     * go into {@code starting}: their start adds the route once they answer, and it is left alone.
     */
    private Map<String, Route> wanted(Set<String> starting) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Route> wanted = new HashMap<>();
            // As JupyterHub: everything no server claims goes to the hub, even on a proxy without a default target.
            wanted.put("/", new Route(hub.internalUrl(), Map.of("hub", true)));
            for (ServiceEntity service : ServiceEntity.<ServiceEntity>list("url is not null")) {
                wanted.put(tableKey(ServiceDefinition.prefix(service.name)), new Route(service.url, serviceRouteData(service)));
            }
            // Managed apps while they run: where their pod listens, behind the access gate.
            for (ServiceAppEntity app : ServiceAppEntity.<ServiceAppEntity>list("state = ?1 and url is not null",
                    ServiceAppEntity.State.RUNNING.value())) {
                ServiceEntity service = ServiceEntity.findById(app.serviceId);
                AppDefinition definition = service == null ? null : services.app(service.name).orElse(null);
                if (definition != null) {
                    wanted.put(tableKey(definition.prefix()), new Route(app.url, appRouteData(service, definition)));
                }
            }
            for (ServiceAppEntity app : ServiceAppEntity.<ServiceAppEntity>list("state = ?1", ServiceAppEntity.State.STARTING.value())) {
                // Its start adds the route once the app answers.
                ServiceEntity service = ServiceEntity.findById(app.serviceId);
                if (service != null) {
                    starting.add(tableKey(ServiceDefinition.prefix(service.name)));
                }
            }
            for (ServerEntity server : ServerEntity.<ServerEntity>list("url is not null")) {
                if (spawns.pending(server.user.name, server.name) != null || server.pendingSince != null) {
                    starting.add(tableKey(Urls.serverPrefix(server.user.name, server.name)));
                    continue;
                }
                Map<String, Object> data = RouteData.forServer(server.user.name, server.name, JsonColumns.object(server.routeData));
                wanted.put(tableKey(Urls.serverPrefix(server.user.name, server.name)), new Route(server.url, data));
            }
            return wanted;
        });
    }

    /**
     * The data of a service's route, as JupyterHub's {@code add_service}; for a service with
     * {@code login-at-proxy}, where the proxy sends browsers without an access cookie.
     */
    public static Map<String, Object> serviceRouteData(ServiceEntity service) {
        Map<String, Object> data = new HashMap<>(Map.of("jupyterhub", true, "service", service.name));
        if (service.loginAtProxy) {
            data.put(ProxyClient.ACCESS_URL, ServiceDefinition.accessUrl(service.name));
        }
        return data;
    }

    /** The data of a running managed app's route: a service's, with prefix stripping when the app asks. */
    public static Map<String, Object> appRouteData(ServiceEntity service, AppDefinition app) {
        Map<String, Object> data = serviceRouteData(service);
        data.putAll(app.routeData());
        return data;
    }

    /** How the proxy lists a route: configurable-http-proxy drops the trailing slash. */
    public static String tableKey(String prefix) {
        return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** The calls that make one replica's table what it should be. */
    private List<Uni<Void>> repairs(String endpoint, JsonObject routes, Map<String, Route> wanted, Set<String> starting) {
        List<Uni<Void>> calls = new ArrayList<>();
        List<String> added = new ArrayList<>();
        wanted.forEach((path, route) -> {
            JsonObject existing = routes.getJsonObject(path);
            if (existing == null || !route.target().equals(existing.getString("target")) || staleCheck(route, existing)) {
                added.add(path);
                calls.add(proxy.addRoute(endpoint, path, route.target(), route.data()));
            }
        });
        List<String> removed = new ArrayList<>();
        for (String path : routes.fieldNames()) {
            JsonObject data = routes.getJsonObject(path);
            boolean ours = data != null && Boolean.TRUE.equals(data.getValue("jupyterhub"));
            boolean startingNow = starting.contains(path) || data != null && spawns.pending(String.valueOf(data.getValue("user")),
                    String.valueOf(data.getValue("server_name", ""))) != null;
            if (ours && !wanted.containsKey(path) && !startingNow) {
                removed.add(path);
                calls.add(proxy.deleteRoute(endpoint, path));
            }
        }
        if (!calls.isEmpty()) {
            LOG.infof("repairing routes at %s: adding %s, removing %s", endpoint, added, removed);
        }
        return calls;
    }

    /** A gated route added before the proxy checked tokens on it, or with the hub's address since changed. */
    private boolean staleCheck(Route route, JsonObject existing) {
        return route.data().containsKey(ProxyClient.ACCESS_URL)
                && !proxy.accessCheckUrl().equals(existing.getString(ProxyClient.ACCESS_CHECK_URL));
    }

    /** Route activity (the newest any replica saw) into servers and their users; only newer times count. */
    private void recordActivity(JsonObject routes) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (ServerEntity server : ServerEntity.<ServerEntity>list("url is not null")) {
                JsonObject route = routes.getJsonObject(tableKey(Urls.serverPrefix(server.user.name, server.name)));
                if (route != null && route.getString("last_activity") != null) {
                    Instant active = OffsetDateTime.parse(route.getString("last_activity")).toInstant();
                    server.touch(active);
                    server.user.touch(active);
                }
            }
        });
    }
}
