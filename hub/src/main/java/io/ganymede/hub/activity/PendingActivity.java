package io.ganymede.hub.activity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Activity received but not yet written: per user and per server only the newest times, so any
 * number of reports between two flushes costs one row update each. Thread-safe. {@link #drain}
 * takes entries out one by one, so a report arriving during a flush goes to the next one and is
 * never lost.
 */
final class PendingActivity {

    /**
     * A server's pending times, each null when none came.
     *
     * @param last newest activity of any kind ({@code servers.last_activity})
     * @param reported newest of the server's own reports, and of keep-alives after one of them in
     *     this batch ({@code servers.reported_activity})
     * @param keepAlive newest keep-alive that came before any own report in this batch: a report
     *     only if the server had already reported this run, which only the database knows
     * @param received when the newest of them arrived; a row whose run started later belongs to a
     *     newer run, which must not inherit these reports
     */
    record Server(Instant last, Instant reported, Instant keepAlive, Instant received) {

        /** This entry's activity, which came after {@code earlier}'s: its keep-alives follow any report there. */
        Server after(Server earlier) {
            Instant asReport = earlier.reported != null ? keepAlive : null;
            return new Server(latest(earlier.last, last), latest(latest(earlier.reported, reported), asReport),
                    asReport != null ? earlier.keepAlive : latest(earlier.keepAlive, keepAlive), latest(earlier.received, received));
        }
    }

    /** What one flush takes out: user id to time, server id to times. */
    record Batch(Map<Long, Instant> users, Map<Long, Server> servers) {

        boolean isEmpty() {
            return users.isEmpty() && servers.isEmpty();
        }

        int size() {
            return users.size() + servers.size();
        }
    }

    /** A server's times as they are once pending activity is written. */
    record ServerTimes(Instant last, Instant reported) {}

    private final ConcurrentHashMap<Long, Instant> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Server> servers = new ConcurrentHashMap<>();

    void user(long id, Instant when) {
        users.merge(id, when, PendingActivity::latest);
    }

    /** The server's own report (made with its own token). */
    void report(long serverId, Instant when, Instant received) {
        add(serverId, new Server(when, when, null, received));
    }

    /**
     * Activity on the user's behalf (the hub page's keep-alive): counted like an own report once
     * the server has reported this run, else like traffic ({@code ServerEntity.keepAlive}).
     */
    void keepAlive(long serverId, Instant when, Instant received) {
        add(serverId, new Server(when, null, when, received));
    }

    private void add(long serverId, Server added) {
        servers.merge(serverId, added, (old, next) -> next.after(old));
    }

    boolean isEmpty() {
        return users.isEmpty() && servers.isEmpty();
    }

    /**
     * Takes every pending entry out, in id order: replicas flushing at once then update the rows
     * they share in the same order, so they never deadlock on them.
     */
    Batch drain() {
        return new Batch(drain(users), drain(servers));
    }

    private static <V> Map<Long, V> drain(ConcurrentHashMap<Long, V> pending) {
        Map<Long, V> out = new TreeMap<>();
        for (Long id : new ArrayList<>(pending.keySet())) {
            V value = pending.remove(id);
            if (value != null) {
                out.put(id, value);
            }
        }
        return out;
    }

    /** Puts back a batch that could not be written, merged with what came since. */
    void restore(Batch batch) {
        batch.users().forEach((id, when) -> users.merge(id, when, PendingActivity::latest));
        batch.servers().forEach((id, times) -> servers.merge(id, times, (since, failed) -> since.after(failed)));
    }

    /** The user's last activity once pending activity is written. */
    Instant userTime(long id, Instant stored) {
        return latest(stored, users.get(id));
    }

    /** The server's times once pending activity is written, by the same rules as the flush. */
    ServerTimes serverTimes(long id, Instant started, Instant storedLast, Instant storedReported) {
        Server pending = servers.get(id);
        if (pending == null) {
            return new ServerTimes(storedLast, storedReported);
        }
        Instant last = latest(storedLast, pending.last());
        if (started != null && started.isAfter(pending.received())) {
            return new ServerTimes(last, storedReported);
        }
        Instant reported = storedReported == null ? null : latest(storedReported, pending.keepAlive());
        return new ServerTimes(last, latest(reported, pending.reported()));
    }

    static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || !b.isAfter(a) ? a : b;
    }
}
