package io.ganymede.hub.culler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganymede.hub.profiles.AppKind;
import io.ganymede.hub.profiles.CullPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The idle rule with its limits, as a table. Times (cull_at too) are minutes before "now", so
 * -55 is 55 minutes ahead; null means unknown.
 * Hub settings: timeout 60 min, max age off, warning 10 min; group "long" overrides the timeout to
 * 8 h, group "short" to 30 min, group "capped" sets a max age of 120 min.
 */
class IdleRuleTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant NOW = CLOCK.instant();
    private static final Duration WARNING = Duration.ofMinutes(10);

    private static final CullPolicy HUB = CullPolicy.INHERIT;
    private static final CullPolicy GPU = new CullPolicy(900L, 14_400L);
    private static final CullPolicy NEVER_IDLE = new CullPolicy(0L, null);

    record Row(String what, AppKind app, String pending, boolean running, String server, boolean admin, boolean exemptAdmins,
            Set<String> groups, CullPolicy profile, Integer started, Integer proxy, Integer reported,
            Verdict.Action action, Integer cullAt, boolean warning) {}

    static Stream<Arguments> table() {
        AppKind lab = AppKind.JUPYTERLAB;
        AppKind rs = AppKind.RSTUDIO;
        var K = Verdict.Action.KEEP;
        var IDLE = Verdict.Action.CULL_IDLE;
        var AGE = Verdict.Action.CULL_MAX_AGE;
        Set<String> none = Set.of();
        return Stream.of(
                new Row("pending spawn is never touched", lab, "spawn", true, "", false, false, none, HUB, 300, 300, null, Verdict.Action.SKIP_PENDING, null, false),
                new Row("pending stop is never touched", lab, "stop", true, "", false, false, none, HUB, 300, 300, null, Verdict.Action.SKIP_PENDING, null, false),
                new Row("not running: nothing to stop", lab, null, false, "", false, false, none, HUB, null, null, null, Verdict.Action.SKIP_NOT_READY, null, false),
                new Row("active 5 min ago", rs, null, true, "", false, false, none, HUB, 300, 5, null, K, -55, false),
                new Row("idle exactly the timeout is culled (>=)", rs, null, true, "", false, false, none, HUB, 300, 60, null, IDLE, 0, true),
                new Row("idle 61 min", rs, null, true, "", false, false, none, HUB, 300, 61, null, IDLE, 1, true),
                new Row("enters the warning window at 50 min", rs, null, true, "", false, false, none, HUB, 300, 50, null, K, -10, true),
                new Row("just before the warning window", rs, null, true, "", false, false, none, HUB, 300, 49, null, K, -11, false),
                new Row("no activity yet: falls back to start time", rs, null, true, "", false, false, none, HUB, 70, null, null, IDLE, 10, true),
                new Row("no activity, started recently", rs, null, true, "", false, false, none, HUB, 20, null, null, K, -40, false),
                new Row("named server, same rule", rs, null, true, "gpu", false, false, none, HUB, 300, 90, null, IDLE, 30, true),
                new Row("admin culled by default (z2jh adminUsers: true)", rs, null, true, "", true, false, none, HUB, 300, 90, null, IDLE, 30, true),
                new Row("admin exempt when configured", rs, null, true, "", true, true, none, HUB, 300, 90, null, K, null, false),
                new Row("non-admin not exempt by exempt-admins", rs, null, true, "", false, true, none, HUB, 300, 90, null, IDLE, 30, true),
                new Row("GPU profile: 15 min timeout", rs, null, true, "", false, false, none, GPU, 100, 16, null, IDLE, 1, true),
                new Row("GPU profile: active, max age 4 h is far", rs, null, true, "", false, false, none, GPU, 100, 1, null, K, -14, false),
                new Row("GPU profile: max age culls an active server", lab, null, true, "", false, false, none, GPU, 241, 1, 1, AGE, 1, true),
                new Row("profile turns idle culling off", rs, null, true, "", false, false, none, NEVER_IDLE, 900, 900, null, K, null, false),
                new Row("group override lengthens the timeout", rs, null, true, "", false, false, Set.of("long"), HUB, 300, 90, null, K, -390, false),
                new Row("two groups: the most lenient wins", rs, null, true, "", false, false, Set.of("long", "short"), HUB, 300, 90, null, K, -390, false),
                new Row("group override shortens the timeout", rs, null, true, "", false, false, Set.of("short"), HUB, 300, 31, null, IDLE, 1, true),
                new Row("group max age applies to an active server", rs, null, true, "", false, false, Set.of("capped"), HUB, 121, 1, null, AGE, 1, true),
                new Row("group max age: cull_at is the earlier deadline", rs, null, true, "", false, false, Set.of("capped"), HUB, 100, 1, null, K, -20, false),
                new Row("Jupyter with kernel reports: an open tab's proxy traffic does not count", lab, null, true, "", false, false, none, HUB, 300, 1, 70, IDLE, 10, true),
                new Row("Jupyter reports recent kernel activity", lab, null, true, "", false, false, none, HUB, 300, 80, 5, K, -55, false),
                new Row("Jupyter that never reported: judged by proxy traffic", lab, null, true, "", false, false, none, HUB, 300, 5, null, K, -55, false),
                new Row("a first report older than the start counts as the start", lab, null, true, "", false, false, none, HUB, 30, 2, 400, K, -30, false),
                new Row("RStudio: the newest of proxy and reports", rs, null, true, "", false, false, none, HUB, 300, 80, 5, K, -55, false),
                new Row("RStudio: proxy traffic counts", rs, null, true, "", false, false, none, HUB, 300, 5, 80, K, -55, false),
                new Row("keep-alive report postpones a Jupyter server", lab, null, true, "", false, false, none, HUB, 300, 300, 0, K, -60, false),
                new Row("keep-alive does not postpone max age", lab, null, true, "", false, false, none, GPU, 245, 0, 0, AGE, 5, true))
                .map(r -> Arguments.of(r.what(), r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String what, Row row) {
        PolicyResolver resolver = new PolicyResolver(true, new Limits(Duration.ofMinutes(60), Duration.ZERO), row.exemptAdmins(),
                Map.of("long", group(Duration.ofHours(8), null), "short", group(Duration.ofMinutes(30), null),
                        "capped", group(null, Duration.ofMinutes(120))));
        Limits limits = resolver.limits(row.profile(), row.groups(), row.admin());
        ServerFacts facts = new ServerFacts("alice@example.com", row.server(), row.running(), row.pending(), row.app(),
                ago(row.started()), latest(ago(row.proxy()), ago(row.reported())), ago(row.reported()));
        Verdict verdict = IdleRule.judge(facts, limits, NOW, WARNING);
        assertEquals(row.action(), verdict.action(), "action");
        assertEquals(row.cullAt() == null ? null : NOW.minus(Duration.ofMinutes(row.cullAt())), verdict.cullAt(), "cull_at");
        assertEquals(row.warning(), verdict.warning(), "warning");
    }

    @org.junit.jupiter.api.Test
    void aDisabledCullerSetsNoLimits() {
        PolicyResolver off = new PolicyResolver(false, new Limits(Duration.ofMinutes(60), Duration.ofHours(1)), false, Map.of());
        assertEquals(Limits.NONE, off.limits(GPU, Set.of(), false));
    }

    @org.junit.jupiter.api.Test
    void ownReportsDecideWhetherStatusIsRead() {
        Limits hour = new Limits(Duration.ofMinutes(60), Duration.ZERO);
        ServerFacts busyTab = new ServerFacts("a", "", true, null, AppKind.JUPYTERLAB, ago(300), ago(1), null);
        assertEquals(true, IdleRule.idleByOwnReports(busyTab, hour, NOW, WARNING), "only the start time is known: worth asking");
        ServerFacts reportedRecently = new ServerFacts("a", "", true, null, AppKind.JUPYTERLAB, ago(300), ago(1), ago(20));
        assertEquals(false, IdleRule.idleByOwnReports(reportedRecently, hour, NOW, WARNING));
        ServerFacts young = new ServerFacts("a", "", true, null, AppKind.JUPYTERLAB, ago(10), ago(1), null);
        assertEquals(false, IdleRule.idleByOwnReports(young, hour, NOW, WARNING));
    }

    private static CullerConfig.GroupPolicy group(Duration timeout, Duration maxAge) {
        return new CullerConfig.GroupPolicy() {
            public Optional<Duration> timeout() {
                return Optional.ofNullable(timeout);
            }

            public Optional<Duration> maxAge() {
                return Optional.ofNullable(maxAge);
            }
        };
    }

    private static Instant ago(Integer minutes) {
        return minutes == null ? null : NOW.minus(Duration.ofMinutes(minutes));
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
