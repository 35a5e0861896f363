package io.ganymede.hub.spawn;

import io.ganymede.hub.leader.Elected;
import io.ganymede.hub.leader.HubLeadership;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.proxy.ProxyConfig;
import io.ganymede.hub.proxy.ProxySync;
import io.ganymede.hub.spawner.PollResult;
import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnResult;
import io.ganymede.hub.spawner.Spawner;
import io.ganymede.hub.spawner.SpawnerSelector;
import io.ganymede.hub.usage.StopReason;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps the records of servers true to what the spawner runs (JupyterHub's poll of every
 * spawner, and its startup check). On the leader only: when the hub starts or a replica becomes
 * leader (routes first, then servers), then every poll interval; an embedded proxy's routes are
 * filled at start by its own process, leader or not. A recorded server that is gone
 * is recorded as stopped. A start left in flight by a replica that died ({@link StartClaims}: at
 * once when its replica is known to be gone, else once older than a whole start may take) is
 * finished when its server runs, as a start finishes (it must answer, then gets its route, then
 * is ready), and undone otherwise, so no server stays pending. Servers running with no record
 * are reported, and stopped when configured or when the spawner knows them for this hub's (the
 * local spawner's pid files). At shutdown a lone hub stops every server when configured to
 * (JupyterHub's cleanup_servers); with replicas, the others keep them.
 */
@ApplicationScoped
public class ServerAdoption {

    private static final Logger LOG = Logger.getLogger(ServerAdoption.class);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

    private final SpawnerSelector spawners;
    private final SpawnCoordinator coordinator;
    private final ProxySync sync;
    private final SpawnConfig config;
    private final HubLeadership leadership;
    private final HubShutdown shutdown;
    private final StartClaims claims;
    private final ProxyConfig proxy;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile boolean listening;

    ServerAdoption(SpawnerSelector spawners, SpawnCoordinator coordinator, ProxySync sync, SpawnConfig config,
            HubLeadership leadership, HubShutdown shutdown, StartClaims claims, ProxyConfig proxy) {
        this.spawners = spawners;
        this.coordinator = coordinator;
        this.sync = sync;
        this.config = config;
        this.leadership = leadership;
        this.shutdown = shutdown;
        this.claims = claims;
        this.proxy = proxy;
    }

    /** Once the hub listens: servers and routes refer to its address. */
    void started(@ObservesAsync HttpServerStart event) {
        listening = true;
        spawners.spawner().onStopped(this::stoppedOnItsOwn);
        if (leadership.isLeader()) {
            catchUp();
        } else if (proxy.embedded()) {
            // The embedded proxy started empty with this process, and no other replica fills it:
            // its routes come back now, not once this replica leads (a lone hub restarted after a
            // crash would leave every server unreachable until the dead process's Lease ran out).
            syncRoutes();
        }
    }

    /** A replica that takes over catches up on what changed while another led (or none did). */
    void elected(@ObservesAsync Elected event) {
        if (listening) {
            catchUp();
        }
    }

    @Scheduled(every = "${ganymede.spawner.poll-interval}", delayed = "${ganymede.spawner.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (listening && leadership.isLeader()) {
            reconcile();
        }
    }

    /**
     * A server the spawner saw stop (its pod deleted from outside, its node drained): the leader
     * records it stopped and removes its route now, not at its next poll. The hub's own stops and
     * failed starts are in flight here and left alone.
     */
    private void stoppedOnItsOwn(ServerHandle server) {
        if (!listening || !leadership.isLeader() || coordinator.pending(server.user(), server.serverName()) != null) {
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                recheck(server.user(), server.serverName());
            } catch (RuntimeException e) {
                LOG.warnf("checking %s/%s after its pod stopped failed: %s; the next poll will", server.user(),
                        server.serverName(), e.getMessage());
            }
        });
    }

    /** One recorded server checked as a pass checks it, unless a start or stop of it is in flight. */
    synchronized void recheck(String user, String name) {
        if (coordinator.pending(user, name) != null) {
            return;
        }
        Optional<Row> row = row(user, name);
        if (row.isPresent() && row.get().running() && row.get().pendingSince() == null) {
            check(spawners.spawner(), row.get());
        }
    }

    private void catchUp() {
        reported.clear();
        // Routes first: a proxy that started with the hub (the embedded one) has none, and the
        // servers recorded ready are reported ready from the start. Adoption adds its own.
        syncRoutes();
        reconcile();
    }

    private void syncRoutes() {
        try {
            sync.run().await().atMost(POLL_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("initial route check failed: %s", e.getMessage());
        }
    }

    /** A server row that runs or is starting, as read at the start of a pass. */
    private record Row(String user, String name, String url, Instant pendingSince, String pendingBy,
            Map<String, String> state, Map<String, Object> routeData) {
        String key() {
            return user + "/" + name;
        }

        boolean running() {
            return url != null;
        }

        ServerHandle handle() {
            return new ServerHandle(user, name, state);
        }
    }

    /** One pass over every running or starting server. Blocks: call on a worker thread. */
    synchronized void reconcile() {
        Spawner spawner = spawners.spawner();
        List<Row> rows = rows();
        Map<String, ServerHandle> orphans = new HashMap<>();
        for (ServerHandle orphan : spawner.orphans(rows.stream().filter(Row::running).map(Row::handle).toList())) {
            orphans.put(orphan.user() + "/" + orphan.serverName(), orphan);
        }
        Set<String> inFlight = new HashSet<>();
        for (Row row : rows) {
            if (coordinator.pending(row.user(), row.name()) != null
                    || (row.pendingSince() != null && !claims.abandoned(row.pendingSince(), row.pendingBy()))) {
                inFlight.add(row.key());
                continue;
            }
            if (row.running()) {
                check(spawner, row);
            } else {
                undoOrFinish(spawner, row, orphans.remove(row.key()));
            }
        }
        orphans.keySet().removeAll(inFlight);
        orphans.values().forEach(orphan -> orphan(spawner, orphan));
    }

    /** A recorded server: gone, it is recorded stopped; running with its start unfinished, adopted. */
    private void check(Spawner spawner, Row row) {
        PollResult poll = spawner.poll(row.handle()).await().atMost(POLL_TIMEOUT);
        if (!poll.running()) {
            LOG.infof("server %s is gone (%s); recording it as stopped", row.key(), poll.reason());
            coordinator.stop(row.user(), row.name(), StopReason.FAILURE);
        } else if (row.pendingSince() != null) {
            coordinator.adopt(row.user(), row.name(), row.pendingSince(), new SpawnResult(row.url(), row.state(), row.routeData()));
        }
    }

    /** A start that never recorded its server: take over the server if it came up, else undo the start. */
    private void undoOrFinish(Spawner spawner, Row row, ServerHandle found) {
        Optional<SpawnResult> up = found == null ? Optional.empty() : spawner.adopt(found);
        if (up.isPresent()) {
            coordinator.adopt(row.user(), row.name(), row.pendingSince(), up.get());
            return;
        }
        LOG.infof("server %s was left starting by a hub replica that went away and never came up; recording it as stopped", row.key());
        if (found != null) {
            spawner.stop(found).await().atMost(POLL_TIMEOUT);
        }
        coordinator.undo(row.user(), row.name(), row.pendingSince());
    }

    private void orphan(Spawner spawner, ServerHandle orphan) {
        String key = orphan.user() + "/" + orphan.serverName();
        if (!config.deleteOrphans().orElse(spawner.orphansAreOwn())) {
            if (reported.add(key)) {
                LOG.warnf("orphan server %s runs with no record in the database (%s); "
                        + "set ganymede.spawner.delete-orphans=true to stop such servers", key, orphan.state());
            }
        } else if (stillOrphan(spawner, orphan)) {
            LOG.warnf("stopping orphan server %s (no record in the database: %s)", key, orphan.state());
            spawner.stop(orphan).await().atMost(POLL_TIMEOUT);
        }
    }

    /**
     * Asked again just before stopping: a start that began during this pass is recorded by now
     * (its record is written before its process starts), and its process is no orphan.
     */
    private boolean stillOrphan(Spawner spawner, ServerHandle orphan) {
        if (coordinator.pending(orphan.user(), orphan.serverName()) != null) {
            return false;
        }
        Optional<Row> now = row(orphan.user(), orphan.serverName());
        if (now.isPresent() && now.get().pendingSince() != null) {
            return false;
        }
        return spawner.orphans(now.filter(Row::running).map(Row::handle).stream().toList()).contains(orphan);
    }

    void cleanUp(@Observes ShutdownEvent event) {
        if (!shutdown.stopServers()) {
            return;
        }
        if (leadership.elected()) {
            LOG.info("leaving servers running at shutdown: other hub replicas serve them");
            return;
        }
        for (Row row : rows()) {
            if (row.running()) {
                LOG.infof("stopping %s at shutdown", row.key());
                coordinator.stop(row.user(), row.name(), StopReason.SHUTDOWN);
            }
        }
    }

    private static List<Row> rows() {
        return QuarkusTransaction.requiringNew().call(() -> ServerEntity.<ServerEntity>list("url is not null or pendingSince is not null")
                .stream().map(ServerAdoption::row).toList());
    }

    private static Optional<Row> row(String user, String name) {
        return QuarkusTransaction.requiringNew().call(() -> ServerEntity.<ServerEntity>find(
                "user.name = ?1 and name = ?2", user, name).firstResultOptional().map(ServerAdoption::row));
    }

    private static Row row(ServerEntity s) {
        return new Row(s.user.name, s.name, s.url, s.pendingSince, s.pendingBy, JsonColumns.strings(s.spawnerState),
                JsonColumns.object(s.routeData));
    }
}
