package io.ganymede.hub.culler;

import io.ganymede.hub.fairuse.Admission;
import io.ganymede.hub.fairuse.FairUseConfig;
import io.ganymede.hub.fairuse.QuotaRules;
import io.ganymede.hub.leader.HubLeadership;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.usage.Session;
import io.ganymede.hub.usage.StopReason;
import io.ganymede.hub.usage.Usage;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * With {@code ganymede.fair-use.stop-at-quota-end}, stops running GPU servers when the GPU-hours
 * of a group they are charged to run out, after the culler's warning ({@code ganymede.culler.warning}):
 * the same notification, with reason {@code quota}. On the leading replica, every
 * {@code check-interval}. Off by default: a quota then only refuses new starts.
 */
@ApplicationScoped
public class QuotaStops {

    private static final Logger LOG = Logger.getLogger(QuotaStops.class);

    private final FairUseConfig config;
    private final CullerConfig culler;
    private final Admission admission;
    private final Usage usage;
    private final SpawnCoordinator spawns;
    private final CullNotices notices;
    private final HubLeadership leadership;

    QuotaStops(FairUseConfig config, CullerConfig culler, Admission admission, Usage usage, SpawnCoordinator spawns,
            CullNotices notices, HubLeadership leadership) {
        this.config = config;
        this.culler = culler;
        this.admission = admission;
        this.usage = usage;
        this.spawns = spawns;
        this.notices = notices;
        this.leadership = leadership;
    }

    @Scheduled(every = "${ganymede.fair-use.check-interval}", delayed = "${ganymede.fair-use.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.stopAtQuotaEnd() && leadership.isLeader()) {
            pass();
        }
    }

    /** One look at every running GPU server; returns how many were stopped. Blocks: call on a worker thread. */
    public int pass() {
        Instant now = usage.now();
        List<Session> open = usage.open().stream().filter(s -> s.gpus() > 0).toList();
        if (open.isEmpty()) {
            return 0;
        }
        List<Session> counted = admission.counted(now);
        int stopped = 0;
        for (Session s : open) {
            Optional<Instant> end = Optional.empty();
            for (var q : admission.quotas(s.user(), Set.copyOf(s.groups()))) {
                Optional<Instant> e = QuotaRules.gpuHoursEnd(q.getKey(), q.getValue(), counted, now);
                if (e.isPresent() && (end.isEmpty() || e.get().isBefore(end.get()))) {
                    end = e;
                }
            }
            if (end.isEmpty() || end.get().isAfter(now.plus(culler.warning()))) {
                continue;
            }
            if (end.get().isAfter(now)) {
                notices.warn(s.user(), s.server(), end.get(), "quota");
                continue;
            }
            try {
                LOG.infof("stopping %s: its group's GPU-hours ran out", SpawnCoordinator.logName(s.user(), s.server()));
                spawns.stop(s.user(), s.server(), StopReason.QUOTA);
                notices.culled(s.user(), s.server(), "quota");
                stopped++;
            } catch (RuntimeException e) {
                LOG.warnf("could not stop %s at its quota's end: %s", SpawnCoordinator.logName(s.user(), s.server()), e.getMessage());
            }
        }
        return stopped;
    }
}
