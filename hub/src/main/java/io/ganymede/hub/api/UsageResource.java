package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.usage.Session;
import io.ganymede.hub.usage.Usage;
import io.ganymede.hub.usage.UsageReport;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /hub/api/usage} (a Ganymede extension): GPU-hours, CPU-core-hours and server-hours of
 * recorded sessions in a window, per user, group or profile, as JSON or, with
 * {@code Accept: text/csv}, CSV. Everything for a caller holding {@code read:users:activity} on
 * everyone (admins); otherwise only a user's own, or another's they may read the activity of.
 */
@Path("/hub/api/usage")
public class UsageResource {

    private final Usage usage;
    private final CurrentCaller caller;

    UsageResource(Usage usage, CurrentCaller caller) {
        this.usage = usage;
        this.caller = caller;
    }

    @GET
    @NeedsScope("read:users:activity")
    public Response get(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("by") String by,
            @QueryParam("user") String user, @QueryParam("group") String group, @QueryParam("sessions") String sessions,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Instant now = usage.now();
        Instant start = from == null || from.isEmpty() ? Usage.monthStart(now) : JsonBody.time(from, "from");
        Instant end = to == null || to.isEmpty() ? now : JsonBody.time(to, "to");
        if (!end.isAfter(start)) {
            throw ApiException.badRequest("to (" + end + ") must be after from (" + start + ")");
        }
        UsageReport.By keyedBy = by == null || by.isEmpty() ? UsageReport.By.GROUP : UsageReport.By.parse(by);
        if (keyedBy == null) {
            throw ApiException.badRequest("by must be user, group or profile, not " + by);
        }
        boolean withSessions = "true".equals(sessions) || "1".equals(sessions);
        String who = allowedUser(user, group);
        UsageReport report = usage.report(start, end, keyedBy, who, group == null || group.isEmpty() ? null : group);
        // Only when asked for by name: clients that accept anything (*/*) get JSON, as everywhere in the API.
        if (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv")) {
            return Response.ok(UsageCsv.write(report), "text/csv; charset=utf-8").build();
        }
        Map<String, Object> body = json(report);
        if (withSessions) {
            List<Session> list = usage.sessions(start, end).stream()
                    .filter(s -> who == null || s.user().equals(who))
                    .filter(s -> group == null || group.isEmpty() || s.chargedTo(group)).toList();
            body.put("sessions", list.stream().map(s -> session(s, start, end, now)).toList());
        }
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    /**
     * The user the report is limited to: the one asked for, the caller's self when they may not
     * read everyone's, or null (everyone) for those who may.
     */
    private String allowedUser(String user, String group) {
        Caller me = caller.require();
        boolean everyone = me.permissions().holdsUnfiltered("read:users:activity");
        if (everyone) {
            return user == null || user.isEmpty() ? null : user;
        }
        String asked = user == null || user.isEmpty() ? me.name() : user;
        Set<String> groups = QuarkusTransaction.requiringNew().call(() -> UserEntity.findByName(asked)
                .map(UserEntity::groupNames).map(Set::copyOf).orElse(Set.of()));
        if (me.service() && (user == null || user.isEmpty())
                || !me.permissions().allows("read:users:activity", Target.user(asked, groups))) {
            throw new ApiException(403, "Action is not authorized with current scopes; requires any of [read:users:activity]"
                    + " for the usage of " + (user == null || user.isEmpty() ? "everyone" : asked));
        }
        return asked;
    }

    static Map<String, Object> json(UsageReport report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", ApiModels.iso(report.from()));
        body.put("to", ApiModels.iso(report.to()));
        body.put("by", report.by().wire());
        body.put("rows", report.rows().stream().map(UsageResource::row).toList());
        Map<String, Object> total = row(report.total());
        total.remove("key");
        body.put("total", total);
        return body;
    }

    private static Map<String, Object> row(UsageReport.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", r.key());
        m.put("sessions", r.sessions());
        m.put("gpu_hours", r.gpuHours());
        m.put("cpu_core_hours", r.cpuCoreHours());
        m.put("server_hours", r.serverHours());
        m.put("gpu_seconds", r.gpuSeconds());
        m.put("cpu_core_seconds", r.cpuCoreSeconds());
        m.put("server_seconds", r.serverSeconds());
        return m;
    }

    private static Map<String, Object> session(Session s, Instant from, Instant to, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", s.user());
        m.put("server", s.server());
        m.put("groups", s.groups());
        m.put("profile", s.profile());
        m.put("gpu", s.gpuType());
        m.put("gpus", s.gpus());
        m.put("cpus", s.cpus());
        m.put("mem_bytes", s.memBytes());
        m.put("started", ApiModels.iso(s.started()));
        m.put("stopped", ApiModels.iso(s.stopped()));
        m.put("stop_reason", s.stopReason() == null ? null : s.stopReason().toLowerCase(Locale.ROOT));
        m.put("seconds_in_window", s.secondsWithin(from, to, now));
        return m;
    }
}
