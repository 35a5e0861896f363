package io.ganymede.hub.culler;

import io.ganymede.hub.profiles.AppKind;
import java.time.Duration;
import java.time.Instant;

/**
 * jupyterhub-idle-culler's rule, as a pure function of a server's facts, its limits and the time:
 * pending and not-ready servers are skipped; a server is idle when {@code now - activity >=
 * timeout}, its activity falling back to its start time; {@code max_age} stops it by age
 * regardless of activity. Which activity counts is decided by {@link #activity}.
 */
public final class IdleRule {

    private IdleRule() {}

    public static Verdict judge(ServerFacts server, Limits limits, Instant now, Duration warning) {
        if (server.pending() != null) {
            return Verdict.skip(Verdict.Action.SKIP_PENDING);
        }
        if (!server.running()) {
            return Verdict.skip(Verdict.Action.SKIP_NOT_READY);
        }
        return decide(activity(server), server.started(), limits, now, warning);
    }

    /**
     * Whether the server's own reports alone (ignoring proxy traffic) put it in the warning window
     * or past a deadline: then a Jupyter server's {@code /api/status} is worth reading.
     */
    public static boolean idleByOwnReports(ServerFacts server, Limits limits, Instant now, Duration warning) {
        if (server.pending() != null || !server.running()) {
            return false;
        }
        Verdict v = decide(latest(ownReport(server), server.started()), server.started(), limits, now, warning);
        return v.warning() || v.action().culls();
    }

    /**
     * The activity that counts. A Jupyter server that has reported its own activity since it
     * started (its activity posts or Jupyter's {@code /api/status}; a "keep alive" then adds to
     * them) is judged by those reports alone: they follow kernels, terminals and API calls, while the proxy also
     * counts every WebSocket frame of an open but unused tab. Other servers (RStudio,
     * code-server, or a Jupyter server that never reported) are judged by the newest activity
     * from any source, proxy traffic included.
     */
    public static Instant activity(ServerFacts server) {
        Instant own = ownReport(server);
        Instant counted = server.app() == AppKind.JUPYTERLAB && own != null ? own : latest(server.lastActivity(), own);
        return latest(counted, server.started());
    }

    /** The server's reported activity (cleared at each start, so it is of this run), not before the start. */
    static Instant ownReport(ServerFacts server) {
        Instant reported = server.reportedActivity();
        if (reported == null) {
            return null;
        }
        // A server's clock starts before the hub records the start: its first report may be older.
        return server.started() != null && reported.isBefore(server.started()) ? server.started() : reported;
    }

    private static Verdict decide(Instant activity, Instant started, Limits limits, Instant now, Duration warning) {
        Instant idleAt = limits.idleCulling() && activity != null ? activity.plus(limits.timeout()) : null;
        Instant ageAt = limits.ageCulling() && started != null ? started.plus(limits.maxAge()) : null;
        Instant cullAt = idleAt == null ? ageAt : ageAt == null || idleAt.isBefore(ageAt) ? idleAt : ageAt;
        Verdict.Action action = Verdict.Action.KEEP;
        if (idleAt != null && !now.isBefore(idleAt)) {
            action = Verdict.Action.CULL_IDLE;
        } else if (ageAt != null && !now.isBefore(ageAt)) {
            action = Verdict.Action.CULL_MAX_AGE;
        }
        boolean warn = cullAt != null && !now.isBefore(cullAt.minus(warning));
        return new Verdict(action, cullAt, warn, activity);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
