package io.ganymede.hub.schedules;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.leader.Leadership;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ScheduleEntity;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts the servers whose schedule is due, on the leader only: the owner's for a user's schedule,
 * every member's (as the group is at that moment) for a group's. Each due schedule first moves on
 * to its next time (so a slow start or a crash never runs it twice); a run found more than
 * {@code missed-grace} late (the hub was down) is skipped, so downtime never ends in a burst of
 * starts. A server already running or starting is left as it is. A start refused because
 * {@code concurrent-spawn-limit} starts are in flight asks again every {@code busy-retry} until
 * {@code missed-grace} has gone by, so a large group's run waits its turn instead of being dropped.
 * The culler treats scheduled servers like any other.
 */
@ApplicationScoped
public class ScheduledStarts {

    private static final Logger LOG = Logger.getLogger(ScheduledStarts.class);

    /**
     * What a tick decided for one schedule: whose servers to start ({@code users}: the owner, or
     * the group's members), found due {@code at}.
     */
    record Due(long id, String owner, List<String> users, String serverName, Map<String, Object> options,
            boolean missed, Instant at, Instant windowStart, Instant windowEnd) {

        /** Outside the window of the reservation the schedule names (never, when it names none). */
        boolean outsideReservation() {
            return windowStart != null && (at.isBefore(windowStart) || !at.isBefore(windowEnd));
        }
    }

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
                LOG.infof("schedule %d of %s missed its run (the hub was not leading then); not replayed", d.id(), d.owner());
                continue;
            }
            if (d.outsideReservation()) {
                LOG.infof("schedule %d of %s: outside its reservation (%s to %s); nothing started", d.id(), d.owner(),
                        d.windowStart(), d.windowEnd());
                continue;
            }
            // A start waits up to the slow-spawn timeout; several due at once must not queue behind each other.
            for (String user : d.users()) {
                Infrastructure.getDefaultWorkerPool().execute(() -> start(d, user));
            }
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
                List<String> users = s.userGroup == null ? List.of(s.user.name)
                        : s.userGroup.users.stream().map(u -> u.name).toList();
                due.add(new Due(s.id, Schedules.Owner.of(s).label(), users, s.serverName, JsonColumns.object(s.userOptions),
                        missed, now, s.reservation == null ? null : s.reservation.startsAt,
                        s.reservation == null ? null : s.reservation.endsAt));
            }
            return due;
        });
    }

    private void start(Due d, String user) {
        String label = d.serverName().isEmpty() ? user : user + "/" + d.serverName();
        boolean running = QuarkusTransaction.requiringNew().call(() -> ServerEntity.<ServerEntity>find(
                "user.name = ?1 and name = ?2", user, d.serverName()).firstResultOptional()
                .map(ServerEntity::running).orElse(false));
        if (running || spawns.pending(user, d.serverName()) != null) {
            LOG.infof("schedule %d of %s: %s already running or pending; nothing to start", d.id(), d.owner(), label);
            return;
        }
        try {
            LOG.infof("schedule %d of %s: starting %s", d.id(), d.owner(), label);
            spawns.start(user, d.serverName(), d.options());
        } catch (ApiException e) {
            if (e.status() == 429 && clock.instant().isBefore(d.at().plus(config.missedGrace()))) {
                LOG.debugf("schedule %d of %s: too many starts in flight; %s asks again in %s", d.id(), d.owner(), label,
                        config.busyRetry());
                Uni.createFrom().voidItem().onItem().delayIt().by(config.busyRetry())
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .subscribe().with(ignored -> {
                            if (leadership.isLeader()) {
                                start(d, user);
                            }
                        });
                return;
            }
            LOG.warnf("schedule %d of %s could not start %s: %s", d.id(), d.owner(), label, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "schedule %d of %s failed to start %s", d.id(), d.owner(), label);
        }
    }
}
