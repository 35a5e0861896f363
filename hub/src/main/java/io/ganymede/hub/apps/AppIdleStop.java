package io.ganymede.hub.apps;

import io.ganymede.hub.culler.CullerConfig;
import io.ganymede.hub.culler.Period;
import io.ganymede.hub.leader.Leadership;
import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.persistence.ServiceAppEntity.State;
import io.ganymede.hub.persistence.ServiceAppEntity.StopReason;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.proxy.ProxyClient;
import io.ganymede.hub.proxy.ProxySync;
import io.ganymede.hub.services.AppDefinition;
import io.ganymede.hub.services.AppStates;
import io.ganymede.hub.services.ServiceDefinition;
import io.ganymede.hub.services.Services;
import io.ganymede.hub.spawn.SpawnConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The idle stop of managed apps, with the culler's rules: on the leader, every
 * {@code ganymede.culler.every} while the culler is enabled, an app whose route has had no request
 * for its {@code idle-timeout} (counted from its start when it had none) is stopped, its route
 * removed and its state {@code stopped} with the reason {@code idle}. The same pass keeps the
 * state true to the pods: an app recorded running whose pod is gone is recorded stopped, and a
 * start left {@code starting} by a hub that died is finished if its pod is ready, else undone, and
 * a stop left {@code stopping} is finished.
 */
@ApplicationScoped
class AppIdleStop {

    private static final Logger LOG = Logger.getLogger(AppIdleStop.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final TeamApps apps;
    private final Services services;
    private final ProxyClient proxy;
    private final CullerConfig culler;
    private final SpawnConfig spawn;
    private final Leadership leadership;
    private final Clock clock;
    private final Period period;

    AppIdleStop(TeamApps apps, Services services, ProxyClient proxy, CullerConfig culler, SpawnConfig spawn,
            Leadership leadership, Clock clock) {
        this.apps = apps;
        this.services = services;
        this.proxy = proxy;
        this.culler = culler;
        this.spawn = spawn;
        this.leadership = leadership;
        this.clock = clock;
        this.period = new Period(culler::every);
    }

    /** A pass every {@code ganymede.culler.every} while the culler is enabled, as the culler's own. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!period.due() || !culler.enabled() || !leadership.isLeader() || !"kubernetes".equals(spawn.kind())) {
            return;
        }
        Map<String, AppDefinition> defined = services.apps();
        if (defined.isEmpty()) {
            return;
        }
        try {
            pass(defined);
        } catch (RuntimeException e) {
            LOG.errorf(e, "app idle pass failed");
        }
    }

    private void pass(Map<String, AppDefinition> defined) {
        Instant now = clock.instant();
        JsonObject routes;
        try {
            routes = proxy.routes(null).await().atMost(CALL_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("app idle pass: cannot list routes (%s); apps are kept this pass", e.getMessage());
            return;
        }
        for (AppDefinition app : defined.values()) {
            ServiceAppEntity row = QuarkusTransaction.requiringNew().call(() -> ServiceEntity.findByName(app.name())
                    .flatMap(s -> ServiceAppEntity.findByService(s.id)).orElse(null));
            if (row == null) {
                continue;
            }
            switch (row.stateValue()) {
                case RUNNING -> running(app, row, routes, now);
                case STARTING -> settleStart(app, row, now);
                case STOPPING -> settleStop(app);
                default -> { }
            }
        }
    }

    private void running(AppDefinition app, ServiceAppEntity row, JsonObject routes, Instant now) {
        if (!apps.podExists(app.name())) {
            LOG.warnf("app %s: its pod is gone; recorded as stopped", app.name());
            apps.markStopped(app.name(), StopReason.FAILURE, "The app's pod was gone");
            return;
        }
        // The proxy counts the app's requests; the row keeps the latest, which the pages show.
        Instant activity = row.lastActivity;
        JsonObject route = routes.getJsonObject(ProxySync.tableKey(ServiceDefinition.prefix(app.name())));
        if (route != null && route.getString("last_activity") != null) {
            activity = latest(activity, OffsetDateTime.parse(route.getString("last_activity")).toInstant());
        }
        Instant seen = activity;
        if (seen != null && !seen.equals(row.lastActivity)) {
            QuarkusTransaction.requiringNew().run(() -> TeamApps.locked(app.name()).lastActivity = seen);
        }
        Instant stopAt = AppStates.idleStopAt(seen, row.startedAt, app.idleTimeout());
        if (stopAt != null && !now.isBefore(stopAt)) {
            LOG.infof("culling app %s (last activity %s, idle timeout %s)", app.name(), seen, app.idleTimeout());
            apps.stop(app.name(), StopReason.IDLE);
        }
    }

    /** A start no process here runs: its hub died. Ready pods are taken, others undone after the start timeout. */
    private void settleStart(AppDefinition app, ServiceAppEntity row, Instant now) {
        if (apps.startingHere(app.name())) {
            return;
        }
        var url = apps.readyUrl(app);
        if (url.isPresent()) {
            LOG.infof("app %s: found its pod ready after a restart; running at %s", app.name(), url.get());
            apps.markRunning(app.name(), url.get());
        } else if (row.startedAt == null || now.isAfter(row.startedAt.plus(spawn.startTimeout()).plus(spawn.httpTimeout()))) {
            LOG.warnf("app %s: its start was left unfinished; undone", app.name());
            apps.markStopped(app.name(), StopReason.FAILURE, "The start was interrupted");
            apps.removePod(app.name());
        }
    }

    /** A stop no process here runs: its hub died while stopping. The pod goes, the state says stopped. */
    private void settleStop(AppDefinition app) {
        if (apps.stoppingHere(app.name())) {
            return;
        }
        LOG.warnf("app %s: its stop was left unfinished; finished", app.name());
        apps.removePod(app.name());
        apps.markStopped(app.name(), StopReason.FAILURE, "The stop was interrupted");
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
