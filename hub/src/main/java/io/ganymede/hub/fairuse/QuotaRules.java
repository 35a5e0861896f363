package io.ganymede.hub.fairuse;

import io.ganymede.hub.usage.Session;
import io.ganymede.hub.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a start fits a quota, and what the quota's state is, from the sessions charged to it
 * (pure: every rule and message is tested with fixed times). GPU-hours are counted up to now,
 * open sessions included; a start is refused once they are used up (how long a new server will run
 * is not known), and servers and GPUs at once are refused when the start would pass them.
 */
public final class QuotaRules {

    static final Duration WEEK = Duration.ofDays(7);

    private QuotaRules() {}

    /**
     * Who a quota counts: a group's members' sessions, or, for a user in no group under the default
     * quota, the user's own.
     */
    public record Subject(String group, String user) {
        String label() {
            return group != null ? "Group " + group : user;
        }

        String has() {
            return group != null ? "has" : "have";
        }

        boolean charges(Session s) {
            return group != null ? s.chargedTo(group) : s.user().equals(user) && s.groups().isEmpty();
        }
    }

    /** A refusal: the rule, the numbers and when it frees up (null: when a server stops). */
    public record Refusal(Subject subject, String rule, double used, double allowed, String unit, Instant freesAt, String message) {
        public Map<String, Object> details() {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("group", subject.group());
            q.put("rule", rule);
            q.put("used", used);
            q.put("allowed", allowed);
            q.put("unit", unit);
            q.put("frees_at", freesAt == null ? null : freesAt.toString());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("quota", q);
            return details;
        }
    }

    /** The first limit the start would pass, checked in the order servers, GPUs, month, week. */
    public static Optional<Refusal> check(Subject who, QuotaLimits limits, int gpus, List<Session> all, Instant now) {
        List<Session> sessions = all.stream().filter(who::charges).toList();
        List<Session> open = sessions.stream().filter(Session::open).toList();
        if (limits.concurrentServers() != null && open.size() + 1 > limits.concurrentServers()) {
            return Optional.of(new Refusal(who, "concurrent-servers", open.size(), limits.concurrentServers(), "servers", null,
                    String.format(Locale.ROOT, "%s %s %d of %d servers running at once; one can start when one of them stops.",
                            who.label(), who.has(), open.size(), limits.concurrentServers())));
        }
        if (gpus == 0) {
            return Optional.empty();
        }
        int gpusNow = open.stream().mapToInt(Session::gpus).sum();
        if (limits.concurrentGpus() != null && gpusNow + gpus > limits.concurrentGpus()) {
            return Optional.of(new Refusal(who, "concurrent-gpus", gpusNow, limits.concurrentGpus(), "GPUs", null,
                    String.format(Locale.ROOT, "%s %s %d of %d GPUs in use at once and this start needs %d more; "
                            + "GPUs free up when one of the servers using them stops.",
                            who.label(), who.has(), gpusNow, limits.concurrentGpus(), gpus)));
        }
        if (limits.gpuHoursPerMonth() != null) {
            double used = gpuHours(sessions, Usage.monthStart(now), now);
            if (used >= limits.gpuHoursPerMonth()) {
                Instant next = Usage.nextMonthStart(now);
                return Optional.of(new Refusal(who, "gpu-hours-per-month", round(used), limits.gpuHoursPerMonth(), "GPU-hours", next,
                        String.format(Locale.ROOT, "%s %s used %s of %s GPU-hours this month; GPU servers can start again on %s.",
                                who.label(), who.has(), number(used), number(limits.gpuHoursPerMonth()), next)));
            }
        }
        if (limits.gpuHoursPerWeek() != null) {
            double used = gpuHours(sessions, now.minus(WEEK), now);
            if (used >= limits.gpuHoursPerWeek()) {
                Instant frees = weekFreesAt(sessions, limits.gpuHoursPerWeek(), now);
                return Optional.of(new Refusal(who, "gpu-hours-per-week", round(used), limits.gpuHoursPerWeek(), "GPU-hours", frees,
                        String.format(Locale.ROOT, "%s %s used %s of %s GPU-hours in the last 7 days; GPU servers can start again at %s.",
                                who.label(), who.has(), number(used), number(limits.gpuHoursPerWeek()), frees)));
            }
        }
        return Optional.empty();
    }

    /**
     * When the subject's running GPU servers use up a GPU-hour limit if they keep running: now or
     * earlier when used up, empty when no such limit applies or nothing of the subject runs on GPUs.
     */
    public static Optional<Instant> gpuHoursEnd(Subject who, QuotaLimits limits, List<Session> all, Instant now) {
        List<Session> sessions = all.stream().filter(who::charges).toList();
        int burning = sessions.stream().filter(Session::open).mapToInt(Session::gpus).sum();
        if (burning == 0) {
            return Optional.empty();
        }
        Optional<Instant> end = Optional.empty();
        if (limits.gpuHoursPerMonth() != null) {
            end = earlier(end, runsOut(limits.gpuHoursPerMonth() - gpuHours(sessions, Usage.monthStart(now), now), burning, now));
        }
        if (limits.gpuHoursPerWeek() != null) {
            // Use leaving the 7-day window meanwhile is not counted: the end may come a little early, never late.
            end = earlier(end, runsOut(limits.gpuHoursPerWeek() - gpuHours(sessions, now.minus(WEEK), now), burning, now));
        }
        return end;
    }

    private static Instant runsOut(double hoursLeft, int gpus, Instant now) {
        return now.plusSeconds(Math.max(0, (long) Math.floor(hoursLeft * 3600 / gpus)));
    }

    private static Optional<Instant> earlier(Optional<Instant> a, Instant b) {
        return Optional.of(a.isPresent() && a.get().isBefore(b) ? a.get() : b);
    }

    /**
     * The first second at which the last 7 days hold less than {@code allowed} GPU-hours, if every
     * server stopped now: the window's usage only falls as it moves on, so it is found by halving.
     */
    static Instant weekFreesAt(List<Session> sessions, double allowed, Instant now) {
        long lo = 0;
        long hi = WEEK.toSeconds();
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            Instant t = now.plusSeconds(mid);
            if (gpuHours(sessions, t.minus(WEEK), now) < allowed) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return now.plusSeconds(lo).truncatedTo(ChronoUnit.SECONDS);
    }

    /** Lines for the spawn page: "31 of 40 GPU-hours used this month (group physics)". */
    public static List<String> state(Subject who, QuotaLimits limits, List<Session> all, Instant now) {
        List<Session> sessions = all.stream().filter(who::charges).toList();
        String whose = who.group() != null ? " (group " + who.group() + ")" : "";
        List<String> lines = new ArrayList<>();
        if (limits.gpuHoursPerMonth() != null) {
            lines.add(number(gpuHours(sessions, Usage.monthStart(now), now)) + " of " + number(limits.gpuHoursPerMonth())
                    + " GPU-hours used this month" + whose);
        }
        if (limits.gpuHoursPerWeek() != null) {
            lines.add(number(gpuHours(sessions, now.minus(WEEK), now)) + " of " + number(limits.gpuHoursPerWeek())
                    + " GPU-hours used in the last 7 days" + whose);
        }
        if (limits.concurrentGpus() != null) {
            lines.add(sessions.stream().filter(Session::open).mapToInt(Session::gpus).sum() + " of " + limits.concurrentGpus()
                    + " GPUs in use" + whose);
        }
        return lines;
    }

    static double gpuHours(List<Session> sessions, Instant from, Instant now) {
        long seconds = 0;
        for (Session s : sessions) {
            seconds += s.secondsWithin(from, now, now) * s.gpus();
        }
        return seconds / 3600.0;
    }

    /** Hours as people read them: 31, 31.5, 0.25 (two decimals at most). */
    static String number(double hours) {
        return new java.math.BigDecimal(hours).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
