package io.ganymede.hub.fairuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.usage.Session;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every quota rule, its numbers, its message and when it frees up. */
class QuotaRulesTest {

    static final Instant NOW = Instant.parse("2026-12-15T12:00:00Z");
    static final QuotaRules.Subject PHYSICS = new QuotaRules.Subject("physics", "ann@example.com");

    static Session gpu(long id, String user, String group, int gpus, String start, String stop) {
        return new Session(id, user, "", group == null ? List.of() : List.of(group), "gpu-t4", "nvidia-tesla-t4", gpus, 8, 0,
                Instant.parse(start), stop == null ? null : Instant.parse(stop), stop == null ? null : "user");
    }

    static Session cpu(long id, String user, String group, String start) {
        return new Session(id, user, "", List.of(group), "cpu", null, 0, 1, 0, Instant.parse(start), null, null);
    }

    @Test
    void concurrentServers() {
        QuotaLimits limits = new QuotaLimits(null, null, null, 2);
        List<Session> s = List.of(cpu(1, "bo@example.com", "physics", "2026-12-15T08:00:00Z"),
                cpu(2, "cy@example.com", "physics", "2026-12-15T09:00:00Z"), cpu(3, "dee@example.com", "other", "2026-12-15T09:00:00Z"));
        var refusal = QuotaRules.check(PHYSICS, limits, 0, s, NOW).orElseThrow();
        assertEquals("concurrent-servers", refusal.rule());
        assertEquals(2, refusal.used());
        assertEquals(2, refusal.allowed());
        assertEquals("Group physics has 2 of 2 servers running at once; one can start when one of them stops.", refusal.message());
        assertTrue(QuotaRules.check(PHYSICS, limits, 0, s.subList(0, 1), NOW).isEmpty());
    }

    @Test
    void concurrentGpusCountTheStartsOwnGpus() {
        QuotaLimits limits = new QuotaLimits(null, null, 2, null);
        List<Session> s = List.of(gpu(1, "bo@example.com", "physics", 1, "2026-12-15T08:00:00Z", null),
                gpu(2, "bo@example.com", "physics", 1, "2026-12-14T08:00:00Z", "2026-12-14T09:00:00Z"));
        assertTrue(QuotaRules.check(PHYSICS, limits, 1, s, NOW).isEmpty());
        var refusal = QuotaRules.check(PHYSICS, limits, 2, s, NOW).orElseThrow();
        assertEquals("concurrent-gpus", refusal.rule());
        assertEquals("Group physics has 1 of 2 GPUs in use at once and this start needs 2 more; "
                + "GPUs free up when one of the servers using them stops.", refusal.message());
        // A CPU server is not held by a GPU limit.
        assertTrue(QuotaRules.check(PHYSICS, new QuotaLimits(null, null, 1, null), 0, s, NOW).isEmpty());
    }

    @Test
    void gpuHoursPerMonthCountFromTheFirstOfTheMonthAndFreeOnTheNext() {
        QuotaLimits limits = new QuotaLimits(10.0, null, null, null);
        List<Session> s = List.of(
                // 2 GPUs for 4 hours across the month's start: only 2 hours (4 GPU-hours) in December.
                gpu(1, "bo@example.com", "physics", 2, "2026-11-30T22:00:00Z", "2026-12-01T02:00:00Z"),
                // 6 GPU-hours, and open: 1 GPU since 06:00 is 6 more by noon.
                gpu(2, "ann@example.com", "physics", 1, "2026-12-15T06:00:00Z", null));
        var refusal = QuotaRules.check(PHYSICS, limits, 1, s, NOW).orElseThrow();
        assertEquals("gpu-hours-per-month", refusal.rule());
        assertEquals(10.0, refusal.used(), 1e-9);
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), refusal.freesAt());
        assertEquals("Group physics has used 10 of 10 GPU-hours this month; GPU servers can start again on 2027-01-01T00:00:00Z.",
                refusal.message());
        assertTrue(QuotaRules.check(PHYSICS, limits, 1, s, NOW.minusSeconds(36)).isEmpty(), "9.99 of 10 GPU-hours: not used up");
        // A CPU server still starts.
        assertTrue(QuotaRules.check(PHYSICS, limits, 0, s, NOW).isEmpty());
        assertEquals(List.of("10 of 10 GPU-hours used this month (group physics)"), QuotaRules.state(PHYSICS, limits, s, NOW));
    }

    @Test
    void gpuHoursPerRollingWeekFreeWhenOldUseLeavesTheWindow() {
        QuotaLimits limits = new QuotaLimits(null, 3.0, null, null);
        List<Session> s = List.of(
                gpu(1, "bo@example.com", "physics", 1, "2026-12-09T12:00:00Z", "2026-12-09T14:00:00Z"),
                gpu(2, "bo@example.com", "physics", 1, "2026-12-14T12:00:00Z", "2026-12-14T13:00:00Z"),
                // Older than 7 days: not counted.
                gpu(3, "bo@example.com", "physics", 4, "2026-12-01T12:00:00Z", "2026-12-01T14:00:00Z"));
        var refusal = QuotaRules.check(PHYSICS, limits, 1, s, NOW).orElseThrow();
        assertEquals("gpu-hours-per-week", refusal.rule());
        assertEquals(3.0, refusal.used(), 1e-9);
        // Below 3 as soon as one second of the first session leaves the window: 7 days after 12:00:01.
        assertEquals(Instant.parse("2026-12-16T12:00:01Z"), refusal.freesAt());
        assertTrue(refusal.message().startsWith("Group physics has used 3 of 3 GPU-hours in the last 7 days; "), refusal.message());
        assertTrue(QuotaRules.check(PHYSICS, limits, 1, s, refusal.freesAt()).isEmpty());
    }

    @Test
    void theDefaultQuotaOfAUserInNoGroupCountsTheirOwn() {
        QuotaRules.Subject solo = new QuotaRules.Subject(null, "eve@example.com");
        List<Session> s = List.of(gpu(1, "eve@example.com", null, 1, "2026-12-15T08:00:00Z", null),
                gpu(2, "bo@example.com", null, 1, "2026-12-15T08:00:00Z", null));
        var refusal = QuotaRules.check(solo, new QuotaLimits(null, null, 1, null), 1, s, NOW).orElseThrow();
        assertEquals(1, refusal.used());
        assertTrue(refusal.message().startsWith("eve@example.com have 1 of 1 GPUs"), refusal.message());
        assertEquals(java.util.Map.of("group", "none"), java.util.Map.of("group",
                String.valueOf(((java.util.Map<?, ?>) refusal.details().get("quota")).get("group")).replace("null", "none")));
    }

    @Test
    void runningGpuServersUseUpWhatIsLeftAtTheirCombinedRate() {
        QuotaLimits limits = new QuotaLimits(10.0, 5.0, null, null);
        List<Session> s = List.of(
                // 4 GPU-hours this week, then 2 GPUs since 10:00: 4 more by noon, so 8 of the week's... more than 5.
                gpu(1, "bo@example.com", "physics", 1, "2026-12-10T08:00:00Z", "2026-12-10T12:00:00Z"),
                gpu(2, "ann@example.com", "physics", 2, "2026-12-15T11:30:00Z", null));
        // Week: 4 + 1 = 5 of 5 used at noon: ends now.
        assertEquals(NOW, QuotaRules.gpuHoursEnd(PHYSICS, limits, s, NOW).orElseThrow());
        // Half an hour earlier: 4 used, 1 left at 2 GPUs: half an hour.
        assertEquals(NOW, QuotaRules.gpuHoursEnd(PHYSICS, limits, s, NOW.minusSeconds(1800)).orElseThrow());
        // Nothing running: nothing to stop.
        assertTrue(QuotaRules.gpuHoursEnd(PHYSICS, limits, s.subList(0, 1), NOW).isEmpty());
        assertTrue(QuotaRules.gpuHoursEnd(PHYSICS, new QuotaLimits(null, null, 1, 1), s, NOW).isEmpty());
    }
}
