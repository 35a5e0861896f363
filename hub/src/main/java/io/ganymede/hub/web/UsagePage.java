package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.fairuse.GpuInventory;
import io.ganymede.hub.fairuse.Reservation;
import io.ganymede.hub.fairuse.Reservations;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.spawner.ProfileCapacity;
import io.ganymede.hub.usage.Session;
import io.ganymede.hub.usage.Usage;
import io.ganymede.hub.usage.UsageReport;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /hub/admin/usage}: GPU-hours per group in a window of days (UTC) as a table and a
 * server-rendered chart, and the GPU reservations with a form to make one. Changes go through the
 * REST API from the page's script, as on the admin page.
 */
@Path("/hub/admin/usage")
public class UsagePage {

    /** Longest window the chart draws, in days. */
    static final int MAX_DAYS = 366;

    public record GroupRow(String group, String gpuHours, String serverHours, long sessions) {}

    public record ReservationRow(long id, String group, String gpu, int gpus, String start, String end, boolean active, String note) {}

    private final Template page;
    private final HtmlPages pages;
    private final Usage usage;
    private final Reservations reservations;
    private final GpuInventory inventory;

    UsagePage(@Location("admin-usage.html") Template page, HtmlPages pages, Usage usage, Reservations reservations,
            GpuInventory inventory) {
        this.page = page;
        this.pages = pages;
        this.usage = usage;
        this.reservations = reservations;
        this.inventory = inventory;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("from") String from, @QueryParam("to") String to, @Context HttpHeaders headers,
            @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        if (!who.permissions().holds("admin-ui") || !who.permissions().holdsUnfiltered("read:users:activity")) {
            throw new ApiException(403, "The usage page is for admins.");
        }
        Instant now = usage.now();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = day(from, today.withDayOfMonth(1));
        LocalDate last = day(to, today);
        if (last.isBefore(first) || first.plusDays(MAX_DAYS).isBefore(last)) {
            throw ApiException.badRequest("Pick a window of 1 to " + MAX_DAYS + " days, last day after first day");
        }
        List<LocalDate> days = first.datesUntil(last.plusDays(1)).toList();
        List<Instant> edges = new ArrayList<>();
        days.forEach(d -> edges.add(d.atStartOfDay(ZoneOffset.UTC).toInstant()));
        edges.add(last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Instant start = edges.get(0);
        Instant end = edges.get(edges.size() - 1);
        List<Session> sessions = usage.sessions(start, end);
        UsageReport report = UsageReport.of(sessions, start, end, now, UsageReport.By.GROUP, null);
        List<GroupRow> rows = report.rows().stream().map(r -> new GroupRow(UsageChart.label(r.key()),
                UsageChart.hours(r.gpuSeconds()), UsageChart.hours(r.serverSeconds()), r.sessions())).toList();
        Map<String, long[]> series = UsageReport.series(sessions, edges, now, UsageReport.By.GROUP);
        List<ReservationRow> held = reservations.list(false).stream().map(r -> row(r, now)).toList();
        List<String> groups = QuarkusTransaction.requiringNew().call(() -> GroupEntity.<GroupEntity>findAll(Sort.by("name"))
                .list().stream().map(g -> g.name).toList());
        Map<String, Integer> gpus = inventory.known() ? inventory.total() : Map.of();
        return pages.render(page.data("page", "admin").data("from", first.toString()).data("to", last.toString())
                .data("rows", rows).data("total", UsageChart.hours(report.total().gpuSeconds()))
                .data("chart", UsageChart.svg(series, days)).data("legend", UsageChart.legend(series))
                .data("reservations", held).data("groups", groups)
                .data("gpuTypes", gpus.keySet().stream().sorted().toList())
                .data("csvUrl", "/hub/api/usage?by=group&from=" + start + "&to=" + end), headers);
    }

    private static ReservationRow row(Reservation r, Instant now) {
        return new ReservationRow(r.id(), r.group(), r.gpus() + " × " + ProfileCapacity.gpuName(r.gpuType()), r.gpus(),
                ApiModels.iso(r.starts()), ApiModels.iso(r.ends()), r.activeAt(now), r.note());
    }

    private static LocalDate day(String text, LocalDate fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Not a day (YYYY-MM-DD): " + text);
        }
    }
}
