package io.ganymede.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions cut to a window to the second, summed per user, group and profile. */
class UsageReportTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    static Session session(long id, String user, List<String> groups, String profile, int gpus, double cpus, String start,
            String stop) {
        return new Session(id, user, "", groups, profile, gpus > 0 ? "nvidia-tesla-t4" : null, gpus, cpus, 0,
                Instant.parse(start), stop == null ? null : Instant.parse(stop), stop == null ? null : "user");
    }

    @Test
    void sessionsAreCutToTheWindowToTheSecond() {
        Session s = session(1, "ann@example.com", List.of(), "cpu", 0, 1, "2026-12-01T09:59:59.900Z", "2026-12-01T11:00:00.700Z");
        Instant from = Instant.parse("2026-12-01T10:00:00Z");
        Instant to = Instant.parse("2026-12-01T10:30:00.500Z");
        assertEquals(1800, s.secondsWithin(from, to, to));
        // Ends cut to the second: 09:59:59 to 11:00:00.
        assertEquals(3601, s.secondsWithin(T0, T0.plusSeconds(86400), T0));
        // Open: counted until now.
        Session open = session(2, "bo@example.com", List.of(), "cpu", 0, 1, "2026-12-01T10:00:00Z", null);
        assertEquals(600, open.secondsWithin(T0, T0.plusSeconds(86400), Instant.parse("2026-12-01T10:10:00Z")));
        // Outside the window.
        assertEquals(0, s.secondsWithin(Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-03T00:00:00Z"), to));
    }

    @Test
    void rowsByGroupCountAMemberOfTwoInBothAndTheTotalOnce() {
        List<Session> sessions = List.of(
                session(1, "ann@example.com", List.of("physics", "ml"), "gpu-t4", 2, 8, "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"),
                session(2, "bo@example.com", List.of("ml"), "gpu-t4", 1, 8, "2026-12-01T10:30:00Z", "2026-12-01T11:30:00Z"),
                session(3, "cy@example.com", List.of(), "cpu", 0, 0.5, "2026-11-30T23:00:00Z", "2026-12-01T01:00:00Z"));
        Instant now = Instant.parse("2026-12-02T00:00:00Z");
        UsageReport byGroup = UsageReport.of(sessions, T0, now, now, UsageReport.By.GROUP, null);
        Map<String, UsageReport.Row> rows = byGroup.rows().stream().collect(java.util.stream.Collectors.toMap(UsageReport.Row::key, r -> r));
        assertEquals(3 * 3600, rows.get("ml").gpuSeconds());
        assertEquals(2 * 3600, rows.get("physics").gpuSeconds());
        assertEquals(3600, rows.get("").serverSeconds(), "cut at the window's start");
        assertEquals(1800.0, rows.get("").cpuCoreSeconds(), 1e-9);
        assertEquals(3 * 3600, byGroup.total().gpuSeconds());
        assertEquals(3, byGroup.total().sessions());
        assertEquals(3.0, byGroup.total().gpuHours(), 1e-9);

        UsageReport byUser = UsageReport.of(sessions, T0, now, now, UsageReport.By.USER, null);
        assertEquals(List.of("ann@example.com", "bo@example.com", "cy@example.com"),
                byUser.rows().stream().map(UsageReport.Row::key).toList());
        UsageReport byProfile = UsageReport.of(sessions, T0, now, now, UsageReport.By.PROFILE, null);
        assertEquals(3 * 3600, byProfile.rows().stream().filter(r -> r.key().equals("gpu-t4")).findFirst().get().gpuSeconds());
        UsageReport onlyPhysics = UsageReport.of(sessions, T0, now, now, UsageReport.By.GROUP, "physics");
        assertEquals(List.of("physics"), onlyPhysics.rows().stream().map(UsageReport.Row::key).toList());
    }

    @Test
    void seriesSplitsGpuSecondsIntoBuckets() {
        List<Session> sessions = List.of(
                session(1, "ann@example.com", List.of("physics"), "gpu-t4", 2, 8, "2026-12-01T23:00:00Z", "2026-12-02T01:00:00Z"));
        List<Instant> days = List.of(T0, T0.plusSeconds(86400), T0.plusSeconds(2 * 86400));
        long[] physics = UsageReport.series(sessions, days, T0.plusSeconds(3 * 86400), UsageReport.By.GROUP).get("physics");
        assertEquals(7200, physics[0]);
        assertEquals(7200, physics[1]);
    }

    @Test
    void factsComeFromTheResolvedSpec() {
        SessionFacts f = SessionFacts.of(Map.of("profile", "gpu-t4", "gpu_type", "nvidia-tesla-t4", "cpu_guarantee", "500m",
                "cpu_limit", 8, "mem_limit", "30G", "extra_resource_limits", Map.of("nvidia.com/gpu", "2")));
        assertEquals(new SessionFacts("gpu-t4", "nvidia-tesla-t4", 2, 0.5, 30L << 30), f);
        assertEquals(SessionFacts.NONE, SessionFacts.of(Map.of()));
    }
}
