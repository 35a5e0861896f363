package io.ganymede.hub.usage;

import io.ganymede.hub.metrics.HubMetrics;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.UsageSessionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Opens a server's session when it runs and closes it when it stops. Called inside the
 * transaction that records the server's own step, so the session and the server never disagree.
 */
@ApplicationScoped
public class SessionLedger {

    private static final Logger LOG = Logger.getLogger(SessionLedger.class);

    private final HubMetrics metrics;

    SessionLedger(HubMetrics metrics) {
        this.metrics = metrics;
    }

    /** The server runs from {@code at}; a session still open for it (a run whose stop was never seen) ends there. */
    public void open(String user, String server, List<String> groups, SessionFacts facts, Instant at) {
        close(user, server, StopReason.FAILURE, at);
        UsageSessionEntity s = new UsageSessionEntity();
        s.userName = user;
        s.serverName = server;
        s.groupsAtStart = JsonColumns.writeList(groups.stream().sorted().toList());
        s.profile = facts.profile();
        s.gpuType = facts.gpuType();
        s.gpus = facts.gpus();
        s.cpus = facts.cpus();
        s.memBytes = facts.memBytes();
        s.startedAt = at;
        s.persist();
    }

    /** A server taken over after a hub restart keeps its session; one with none (its start was never recorded) gets one. */
    public void continueOrOpen(String user, String server, List<String> groups, SessionFacts facts, Instant at) {
        if (UsageSessionEntity.open(user, server).isEmpty()) {
            open(user, server, groups, facts, at);
        }
    }

    /** Ends the server's open session, if any. */
    public Optional<Session> close(String user, String server, StopReason reason, Instant at) {
        Optional<UsageSessionEntity> open = UsageSessionEntity.open(user, server);
        open.ifPresent(s -> {
            s.stoppedAt = at.isBefore(s.startedAt) ? s.startedAt : at;
            s.stopReason = reason.wire();
            Session closed = Session.of(s);
            long seconds = closed.secondsWithin(closed.started(), closed.stopped(), at);
            LOG.debugf("session of %s/%s closed after %d s (%s)", user, server, seconds, reason.wire());
            if (closed.gpus() > 0) {
                for (String group : closed.charged()) {
                    metrics.usageGpuSeconds(group, closed.profile(), closed.gpuType(), seconds * (double) closed.gpus());
                }
            }
        });
        return open.map(Session::of);
    }
}
