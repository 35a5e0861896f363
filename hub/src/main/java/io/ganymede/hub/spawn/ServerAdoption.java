package io.ganymede.hub.spawn;

import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.proxy.ProxySync;
import io.ganymede.hub.spawner.PollResult;
import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnerSelector;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Servers outlive hub restarts: at start the hub asks the spawner which recorded servers still
 * run, keeps those (their routes are restored by the route check) and records the others as
 * stopped. At shutdown it stops them all when configured to (JupyterHub's cleanup_servers).
 */
@ApplicationScoped
public class ServerAdoption {

    private static final Logger LOG = Logger.getLogger(ServerAdoption.class);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

    private final SpawnerSelector spawners;
    private final SpawnCoordinator coordinator;
    private final ProxySync sync;
    private final SpawnConfig config;
    private final HubShutdown shutdown;

    ServerAdoption(SpawnerSelector spawners, SpawnCoordinator coordinator, ProxySync sync, SpawnConfig config,
            HubShutdown shutdown) {
        this.spawners = spawners;
        this.coordinator = coordinator;
        this.sync = sync;
        this.config = config;
        this.shutdown = shutdown;
    }

    /** Once the hub listens: servers and routes refer to its address. */
    void adopt(@ObservesAsync HttpServerStart event) {
        for (ServerHandle handle : recorded()) {
            PollResult poll = spawners.spawner().poll(handle).await().atMost(POLL_TIMEOUT);
            if (poll.running()) {
                LOG.infof("adopted running server %s/%s", handle.user(), handle.serverName());
            } else {
                LOG.infof("server %s/%s is gone (%s); recording it as stopped", handle.user(), handle.serverName(), poll.reason());
                coordinator.stop(handle.user(), handle.serverName());
            }
        }
        reportOrphans();
        sync.run().subscribe().with(ok -> {}, e -> LOG.warnf("initial route check failed: %s", e.getMessage()));
    }

    private void reportOrphans() {
        for (ServerHandle orphan : spawners.spawner().orphans(recorded())) {
            if (config.deleteOrphans()) {
                LOG.warnf("stopping orphan server %s/%s (no record in the database)", orphan.user(), orphan.serverName());
                spawners.spawner().stop(orphan).await().atMost(POLL_TIMEOUT);
            } else {
                LOG.warnf("orphan server %s/%s runs with no record in the database (%s); "
                        + "set ganymede.spawner.delete-orphans=true to stop such servers", orphan.user(), orphan.serverName(), orphan.state());
            }
        }
    }

    void cleanUp(@Observes ShutdownEvent event) {
        if (!shutdown.stopServers()) {
            return;
        }
        for (ServerHandle handle : recorded()) {
            LOG.infof("stopping %s/%s at shutdown", handle.user(), handle.serverName());
            coordinator.stop(handle.user(), handle.serverName());
        }
    }

    private static List<ServerHandle> recorded() {
        return QuarkusTransaction.requiringNew().call(() -> ServerEntity.<ServerEntity>list("url is not null").stream()
                .map(s -> new ServerHandle(s.user.name, s.name, JsonColumns.strings(s.spawnerState))).toList());
    }
}
