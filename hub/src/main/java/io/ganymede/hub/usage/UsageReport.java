package io.ganymede.hub.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Usage in a window, summed per user, group or profile from sessions cut to the window (pure, so
 * every sum is tested without a hub). Totals count each session once; by group, a session counts
 * for each group its user was in at the start.
 */
public record UsageReport(Instant from, Instant to, By by, List<Row> rows, Row total) {

    /** What rows are keyed by. */
    public enum By {
        USER(s -> List.of(s.user())),
        GROUP(Session::charged),
        PROFILE(s -> List.of(s.profile() == null ? "" : s.profile()));

        private final Function<Session, List<String>> keys;

        By(Function<Session, List<String>> keys) {
            this.keys = keys;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code user}, {@code group} or {@code profile}; null for anything else. */
        public static By parse(String text) {
            for (By b : values()) {
                if (b.wire().equals(text)) {
                    return b;
                }
            }
            return null;
        }
    }

    /** Sums for one key: whole seconds, so they add up exactly to the sessions' own. */
    public record Row(String key, long sessions, long serverSeconds, long gpuSeconds, double cpuCoreSeconds) {

        Row plus(long serverSeconds, long gpuSeconds, double cpuCoreSeconds) {
            return new Row(key, sessions + 1, this.serverSeconds + serverSeconds, this.gpuSeconds + gpuSeconds,
                    this.cpuCoreSeconds + cpuCoreSeconds);
        }

        public double serverHours() {
            return serverSeconds / 3600.0;
        }

        public double gpuHours() {
            return gpuSeconds / 3600.0;
        }

        public double cpuCoreHours() {
            return cpuCoreSeconds / 3600.0;
        }
    }

    /**
     * @param sessions sessions that may overlap the window (others add nothing)
     * @param onlyKey keep only this key's row (the group asked for), or null for all
     */
    public static UsageReport of(List<Session> sessions, Instant from, Instant to, Instant now, By by, String onlyKey) {
        Map<String, Row> rows = new TreeMap<>();
        Row total = new Row("", 0, 0, 0, 0);
        for (Session s : sessions) {
            long seconds = s.secondsWithin(from, to, now);
            if (seconds == 0 && !overlaps(s, from, to, now)) {
                continue;
            }
            long gpu = seconds * s.gpus();
            double cpu = seconds * s.cpus();
            total = total.plus(seconds, gpu, cpu);
            for (String key : by.keys.apply(s)) {
                if (onlyKey == null || onlyKey.equals(key)) {
                    rows.put(key, rows.getOrDefault(key, new Row(key, 0, 0, 0, 0)).plus(seconds, gpu, cpu));
                }
            }
        }
        return new UsageReport(from, to, by, new ArrayList<>(rows.values()), total);
    }

    /** A session counts (as a session) when it ran at some moment of the window. */
    static boolean overlaps(Session s, Instant from, Instant to, Instant now) {
        Instant end = s.stopped() != null ? s.stopped() : now;
        return s.started().isBefore(to) && end.isAfter(from);
    }

    /** GPU-seconds per key in consecutive buckets of the window (for charts), keyed as the report. */
    public static Map<String, long[]> series(List<Session> sessions, List<Instant> edges, Instant now, By by) {
        Map<String, long[]> series = new TreeMap<>();
        for (Session s : sessions) {
            if (s.gpus() == 0) {
                continue;
            }
            for (int i = 0; i + 1 < edges.size(); i++) {
                long gpu = s.secondsWithin(edges.get(i), edges.get(i + 1), now) * s.gpus();
                if (gpu > 0) {
                    for (String key : by.keys.apply(s)) {
                        series.computeIfAbsent(key, k -> new long[edges.size() - 1])[i] += gpu;
                    }
                }
            }
        }
        return series;
    }
}
