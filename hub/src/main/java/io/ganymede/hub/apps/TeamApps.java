package io.ganymede.hub.apps;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.persistence.ServiceAppEntity.State;
import io.ganymede.hub.persistence.ServiceAppEntity.StopReason;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.proxy.ProxyClient;
import io.ganymede.hub.proxy.ProxySync;
import io.ganymede.hub.services.AppDefinition;
import io.ganymede.hub.services.ServiceDefinition;
import io.ganymede.hub.services.Services;
import io.ganymede.hub.spawn.ReadinessProbe;
import io.ganymede.hub.spawn.ServerRuntime;
import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawner.PollResult;
import io.ganymede.hub.spawner.kubernetes.AppPodBuilder;
import io.ganymede.hub.spawner.kubernetes.AppPods;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The run of each managed team app: started when someone allowed opens it and it is stopped,
 * stopped by the idle rule or an admin. The state lives in {@code service_apps}; a start or stop
 * takes the app's row lock first, so concurrent first visits (on any replica) start it once. A
 * start is the Kubernetes spawner's pod start, then the hub's own readiness check, then the
 * state {@code running} with the pod's URL, then the proxy route (with the access gate of
 * {@code login-at-proxy}); its progress events are a server start's, for the same page.
 */
@ApplicationScoped
public class TeamApps {

    private static final Logger LOG = Logger.getLogger(TeamApps.class);
    private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(10);

    /** How a visit found the app. */
    public enum Opened { READY, STARTING }

    private final Services services;
    private final AppPods pods;
    private final ReadinessProbe readiness;
    private final ProxyClient proxy;
    private final SpawnConfig spawn;
    private final Clock clock;
    /** The progress of starts run by this process, by app name. */
    private final Map<String, ServerRuntime> runtimes = new ConcurrentHashMap<>();
    /** Apps this process is stopping now. */
    private final java.util.Set<String> stoppingHere = ConcurrentHashMap.newKeySet();

    TeamApps(Services services, AppPods pods, ReadinessProbe readiness, ProxyClient proxy, SpawnConfig spawn, Clock clock) {
        this.services = services;
        this.pods = pods;
        this.readiness = readiness;
        this.proxy = proxy;
        this.spawn = spawn;
        this.clock = clock;
    }

    /** The app's definition, or a 404 for a service that is not a managed app. */
    public AppDefinition app(String name) {
        return services.app(name).orElseThrow(() -> ApiException.notFound("No managed app: " + name));
    }

    /**
     * A visit by {@code who} (a user's name, or {@code service:<name>}) who may access the app:
     * recorded, and the app started unless it runs or starts already.
     *
     * @throws ApiException 503 while the app is being stopped, or without the kubernetes spawner
     */
    public Opened open(AppDefinition app, String who) {
        if (!"kubernetes".equals(spawn.kind())) {
            throw new ApiException(503, "Managed apps run with the kubernetes spawner only; this hub's is " + spawn.kind());
        }
        Instant now = clock.instant();
        record Found(State state, String url) {}
        Found found = QuarkusTransaction.requiringNew().call(() -> {
            ServiceAppEntity row = locked(app.name());
            row.lastUser = who;
            row.lastUsedAt = now;
            State state = row.stateValue();
            String url = row.url;
            if (state == State.STOPPED) {
                row.state(State.STARTING);
                row.startedAt = now;
                row.lastActivity = now;
                row.podName = AppPodBuilder.podName(app.name());
                row.url = null;
                row.stopReason = null;
                row.message = null;
            }
            return new Found(state, url);
        });
        return switch (found.state()) {
            case RUNNING -> {
                // The hub sees a visit only when the proxy has no route for the app (a proxy that
                // restarted and was not repaired yet): put it back rather than send the browser round.
                proxy.addRoute(app.prefix(), found.url(), routeData(app)).await().atMost(ROUTE_TIMEOUT);
                yield Opened.READY;
            }
            case STARTING -> Opened.STARTING;
            case STOPPING -> throw new ApiException(503, "The app " + app.name() + " is being stopped; try again in a moment")
                    .withHeader("Retry-After", "5");
            case STOPPED -> {
                launch(app, who);
                yield Opened.STARTING;
            }
        };
    }

    /** The app's row, locked for this transaction; 404 when the service is not a managed app. */
    static ServiceAppEntity locked(String name) {
        ServiceEntity service = ServiceEntity.findByName(name).orElseThrow(() -> ApiException.notFound("No managed app: " + name));
        ServiceAppEntity row = ServiceAppEntity.findById(service.id, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            throw ApiException.notFound("No managed app: " + name);
        }
        return row;
    }

    private void launch(AppDefinition app, String who) {
        ServerRuntime runtime = runtimes.computeIfAbsent(app.name(), n -> new ServerRuntime());
        runtime.reset();
        runtime.pending("spawn");
        LOG.infof("starting app %s, opened by %s", app.name(), who);
        pods.start(app, event -> runtime.progress(event.progress(), event.message()))
                .call(url -> {
                    runtime.progress(90, "The app's pod is ready; waiting for the app to answer");
                    return readiness.awaitUp(url + app.expand(app.readyPath()), spawn.httpTimeout(),
                            () -> Uni.createFrom().item(PollResult.isRunning()));
                })
                .call(url -> Uni.createFrom().item(() -> {
                    running(app.name(), url);
                    return url;
                }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()))
                .call(url -> proxy.addRoute(app.prefix(), url, routeData(app)))
                .subscribe().with(url -> {
                    LOG.infof("app %s is ready at %s", app.name(), url);
                    runtime.pending(null);
                    runtime.ready(app.prefix());
                }, failure -> {
                    LOG.warnf("app %s did not start: %s", app.name(), failure.getMessage());
                    stopped(app.name(), StopReason.FAILURE, failure.getMessage());
                    // The pod may be up even though the hub could not reach it or route to it.
                    removePod(app.name());
                    runtime.pending(null);
                    runtime.failed("The app " + app.name() + " did not start: " + failure.getMessage());
                });
    }

    private static Map<String, Object> routeData(AppDefinition app) {
        return QuarkusTransaction.requiringNew().call(() -> ProxySync.appRouteData(
                ServiceEntity.findByName(app.name()).orElseThrow(), app));
    }

    private static void running(String name, String url) {
        QuarkusTransaction.requiringNew().run(() -> {
            ServiceAppEntity row = locked(name);
            row.state(State.RUNNING);
            row.url = url;
        });
    }

    private void stopped(String name, StopReason reason, String message) {
        QuarkusTransaction.requiringNew().run(() -> {
            ServiceAppEntity row = locked(name);
            row.state(State.STOPPED);
            row.url = null;
            row.stopReason = reason.value();
            row.message = message == null ? null : message.substring(0, Math.min(message.length(), 2048));
        });
    }

    /**
     * Stops the app: its route goes first (no request reaches a pod going away), then its pod;
     * the state is {@code stopped} with {@code reason}. False when it was not running to stop.
     * Blocking: call on a worker.
     */
    public boolean stop(String name, StopReason reason) {
        boolean stopping = QuarkusTransaction.requiringNew().call(() -> {
            ServiceAppEntity row = locked(name);
            if (row.stateValue() != State.RUNNING) {
                return false;
            }
            row.state(State.STOPPING);
            return true;
        });
        if (!stopping) {
            return false;
        }
        stoppingHere.add(name);
        try {
            proxy.deleteRoute(ServiceDefinition.prefix(name)).await().atMost(ROUTE_TIMEOUT);
        } catch (RuntimeException e) {
            // The route check removes it once the state says stopped.
            LOG.warnf("removing the route of app %s: %s", name, e.getMessage());
        }
        try {
            pods.stop(name).await().indefinitely();
        } finally {
            stopped(name, reason, null);
            stoppingHere.remove(name);
            LOG.infof("app %s stopped (%s)", name, reason.value());
        }
        return true;
    }

    /** The events of the app's current or last start here; a ready or failed event otherwise. */
    public io.smallrye.mutiny.Multi<Map<String, Object>> progress(String name) {
        ServerRuntime runtime = runtimes.get(name);
        State state = QuarkusTransaction.requiringNew().call(() -> locked(name).stateValue());
        if (runtime != null && (runtime.pending() != null || state != State.RUNNING)) {
            return runtime.events();
        }
        ServerRuntime answer = new ServerRuntime();
        if (state == State.RUNNING) {
            answer.ready(ServiceDefinition.prefix(name));
        } else if (state == State.STARTING) {
            // Started by another replica: its events live there; the page follows the state.
            answer.progress(50, "The app is starting");
            return answer.events().select().first();
        } else {
            answer.failed("The app " + name + " is not running");
        }
        return answer.events();
    }

    /** Whether this process is stopping the app now. */
    boolean stoppingHere(String name) {
        return stoppingHere.contains(name);
    }

    /** Whether this process runs the app's start now. */
    boolean startingHere(String name) {
        ServerRuntime runtime = runtimes.get(name);
        return runtime != null && runtime.pending() != null;
    }

    /** Settles what an app's state says against its pod, for the idle pass and after a restart. */
    Optional<String> readyUrl(AppDefinition app) {
        return pods.readyUrl(app);
    }

    boolean podExists(String name) {
        return pods.exists(name);
    }

    void markStopped(String name, StopReason reason, String message) {
        stopped(name, reason, message);
    }

    /** Deletes the app's pod without waiting. */
    void removePod(String name) {
        pods.stop(name).subscribe().with(x -> { }, e -> LOG.warnf("removing the pod of app %s: %s", name, e.getMessage()));
    }

    void markRunning(String name, String url) {
        running(name, url);
    }
}
