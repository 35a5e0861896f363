package io.ganymede.hub.spawn;

import io.ganymede.hub.spawner.PollResult;
import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnerSelector;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * JupyterHub's poll_interval: a server recorded as running whose process exited or whose pod
 * vanished (evicted, deleted by hand, node lost) is recorded as stopped and its route removed, so
 * users see it stopped and can start again. For the kubernetes spawner a poll reads the shared pod
 * cache, so polling every server costs no API call.
 */
@ApplicationScoped
public class ServerPoller {

    private static final Logger LOG = Logger.getLogger(ServerPoller.class);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

    private final SpawnerSelector spawners;
    private final SpawnCoordinator coordinator;

    ServerPoller(SpawnerSelector spawners, SpawnCoordinator coordinator) {
        this.spawners = spawners;
        this.coordinator = coordinator;
    }

    @Scheduled(every = "${ganymede.spawner.poll-interval}", delayed = "${ganymede.spawner.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pollAll() {
        for (ServerHandle handle : ServerAdoption.recorded()) {
            // A start or stop in flight decides for itself.
            if (coordinator.pending(handle.user(), handle.serverName()) != null) {
                continue;
            }
            try {
                PollResult poll = spawners.spawner().poll(handle).await().atMost(POLL_TIMEOUT);
                if (!poll.running() && coordinator.pending(handle.user(), handle.serverName()) == null) {
                    LOG.warnf("server %s/%s is no longer running (%s); recording it as stopped", handle.user(),
                            handle.serverName(), poll.reason());
                    coordinator.stop(handle.user(), handle.serverName());
                }
            } catch (RuntimeException e) {
                LOG.warnf("poll of %s/%s failed: %s", handle.user(), handle.serverName(), e.getMessage());
            }
        }
    }
}
