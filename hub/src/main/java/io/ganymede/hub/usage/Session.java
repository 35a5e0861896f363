package io.ganymede.hub.usage;

import io.ganymede.hub.persistence.UsageSessionEntity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One run of a server as accounting sees it.
 *
 * @param stopped null while it runs
 * @param stopReason null while it runs
 */
public record Session(long id, String user, String server, List<String> groups, String profile, String gpuType, int gpus,
        double cpus, long memBytes, Instant started, Instant stopped, String stopReason) {

    public static Session of(UsageSessionEntity e) {
        return new Session(e.id, e.userName, e.serverName, e.groups(), e.profile, e.gpuType, e.gpus, e.cpus, e.memBytes,
                e.startedAt, e.stoppedAt, e.stopReason);
    }

    public boolean open() {
        return stopped == null;
    }

    /**
     * Whole seconds of this session inside {@code [from, to)}, an open one counted until {@code now}.
     * Both ends are cut to the second first, so reports add up exactly to what the sessions say.
     */
    public long secondsWithin(Instant from, Instant to, Instant now) {
        Instant end = stopped != null ? stopped : now;
        Instant a = max(started, from).truncatedTo(ChronoUnit.SECONDS);
        Instant b = min(end, to).truncatedTo(ChronoUnit.SECONDS);
        return b.isAfter(a) ? Duration.between(a, b).toSeconds() : 0;
    }

    /** Charged to this group: a member at the start (the group of a user in none is {@code ""}). */
    public boolean chargedTo(String group) {
        return groups.isEmpty() ? group.isEmpty() : groups.contains(group);
    }

    /** The groups usage is charged to; {@code [""]} for a user in none. */
    public List<String> charged() {
        return groups.isEmpty() ? List.of("") : groups;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
