package io.ganymede.hub.schedules;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.leader.Leadership;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ScheduleEntity;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts the servers whose schedule is due, on the leader only. Each due schedule first moves on
 * to its next time (so a slow start or a crash never runs it twice); a run found more than
 * {@code missed-grace} late (the hub was down) is skipped, so downtime never ends in a burst of
 * starts. A server already running or starting is left as it is. The culler treats scheduled
 * servers like any other.
 */
@ApplicationScoped
public class ScheduledStarts {

    private static final Logger LOG = Logger.getLogger(ScheduledStarts.class);

    /** What a tick decided for one schedule. */
    record Due(long id, String user, String serverName, Map<String, Object> options, boolean missed) {}

    private final SchedulesConfig config;
    private final SpawnCoordinator spawns;
    private final Leadership leadership;
    private final Clock clock;
    /** When the next look is due (System.nanoTime). */
    private volatile long nextCheck;

    ScheduledStarts(SchedulesConfig config, SpawnCoordinator spawns, Leadership leadership, Clock clock) {
        this.config = config;
        this.spawns = spawns;
        this.leadership = leadership;
        this.clock = clock;
        this.nextCheck = System.nanoTime() + config.checkInterval().toNanos();
    }

    /** A one-second tick that looks once {@code check-interval} (a Duration setting) has gone by. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return;
        }
        nextCheck = now + config.checkInterval().toNanos();
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.errorf(e, "scheduled starts failed");
        }
    }

    /** One look at the due schedules; returns what it found (for tests). Blocking. */
    public synchronized List<Due> tick() {
        if (!config.enabled() || !leadership.isLeader()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Due> due = claim(now);
        for (Due d : due) {
            if (d.missed()) {
                LOG.infof("schedule %d of %s missed its run (the hub was not leading then); not replayed", d.id(), d.user());
                continue;
            }
            // A start waits up to the slow-spawn timeout; several due at once must not queue behind each other.
            Infrastructure.getDefaultWorkerPool().execute(() -> start(d));
        }
        return due;
    }

    /** Moves every due schedule to its next time, in one transaction, and says which to start. */
    private List<Due> claim(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Due> due = new ArrayList<>();
            for (ScheduleEntity s : ScheduleEntity.<ScheduleEntity>list("nextRun <= ?1", now)) {
                boolean missed = s.nextRun.plus(config.missedGrace()).isBefore(now);
                if (!missed) {
                    s.lastRun = now;
                }
                try {
                    s.nextRun = CronSchedule.parse(s.cron, s.timeZone).nextAfter(now).orElse(null);
                } catch (IllegalArgumentException e) {
                    LOG.warnf("schedule %d no longer parses (%s); disabled", s.id, e.getMessage());
                    s.nextRun = null;
                }
                due.add(new Due(s.id, s.user.name, s.serverName, JsonColumns.object(s.userOptions), missed));
            }
            return due;
        });
    }

    private void start(Due d) {
        String label = d.serverName().isEmpty() ? d.user() : d.user() + "/" + d.serverName();
        boolean running = QuarkusTransaction.requiringNew().call(() -> ServerEntity.<ServerEntity>find(
                "user.name = ?1 and name = ?2", d.user(), d.serverName()).firstResultOptional()
                .map(ServerEntity::running).orElse(false));
        if (running || spawns.pending(d.user(), d.serverName()) != null) {
            LOG.infof("schedule %d: %s already running or pending; nothing to start", d.id(), label);
            return;
        }
        try {
            LOG.infof("schedule %d: starting %s", d.id(), label);
            spawns.start(d.user(), d.serverName(), d.options());
        } catch (ApiException e) {
            LOG.warnf("schedule %d could not start %s: %s", d.id(), label, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "schedule %d failed to start %s", d.id(), label);
        }
    }
}
