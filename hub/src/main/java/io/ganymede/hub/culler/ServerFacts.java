package io.ganymede.hub.culler;

import io.ganymede.hub.profiles.AppKind;
import java.time.Instant;

/**
 * What the idle rule needs to know of one server, gathered from the database, the proxy and the
 * server itself.
 *
 * @param running the server has a URL (it was started and not stopped)
 * @param pending {@code spawn}, {@code stop} or null
 * @param app what runs in it; only Jupyter servers report kernel activity
 * @param started when the current run began
 * @param lastActivity the newest activity from any source, proxy traffic included
 * @param reportedActivity the newest activity the server reported itself (activity API, keep-alive,
 *     Jupyter's {@code /api/status}); null if it has not reported since it started (cleared at each start)
 */
public record ServerFacts(
        String user,
        String serverName,
        boolean running,
        String pending,
        AppKind app,
        Instant started,
        Instant lastActivity,
        Instant reportedActivity) {

    /** {@code alice} or {@code alice/gpu}, for logs. */
    public String displayName() {
        return serverName.isEmpty() ? user : user + "/" + serverName;
    }

    /** The same server with newer proxy activity known (only newer times count). */
    public ServerFacts withActivity(Instant when) {
        return when == null || (lastActivity != null && !when.isAfter(lastActivity)) ? this
                : new ServerFacts(user, serverName, running, pending, app, started, when, reportedActivity);
    }

    /** The same server with a newer self-reported activity. */
    public ServerFacts withReported(Instant when) {
        if (when == null || (reportedActivity != null && !when.isAfter(reportedActivity))) {
            return this;
        }
        Instant merged = lastActivity == null || when.isAfter(lastActivity) ? when : lastActivity;
        return new ServerFacts(user, serverName, running, pending, app, started, merged, when);
    }
}
