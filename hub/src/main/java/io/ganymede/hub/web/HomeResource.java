package io.ganymede.hub.web;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.fairuse.Admission;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.schedules.Schedules;
import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.spawn.Urls;
import io.ganymede.hub.usage.Usage;
import io.ganymede.hub.usage.UsageReport;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The signed-in user's home page (their servers, the team apps they may open, their scheduled
 * starts and their groups', servers shared with them and their own sharing), and what the hub answers for
 * {@code /user/<name>/...} when the proxy has no route for it: the server is starting or gone.
 */
@Path("/hub")
public class HomeResource {

    private final Template home;
    private final Template notRunning;
    private final HtmlPages pages;
    private final ServerRows rows;
    private final SpawnConfig spawn;
    private final SpawnCoordinator spawns;
    private final ProfileCatalog catalog;
    private final Schedules schedules;
    private final HomeShares shares;
    private final StoragePanel storage;
    private final io.ganymede.hub.spawner.SpawnerSelector spawners;
    private final Usage usage;
    private final Admission admission;
    private final ServiceRows services;

    HomeResource(@Location("home.html") Template home, @Location("not-running.html") Template notRunning,
            HtmlPages pages, ServerRows rows, SpawnConfig spawn, SpawnCoordinator spawns, ProfileCatalog catalog,
            Schedules schedules, HomeShares shares, StoragePanel storage, io.ganymede.hub.spawner.SpawnerSelector spawners,
            Usage usage, Admission admission, ServiceRows services) {
        this.services = services;
        this.usage = usage;
        this.admission = admission;
        this.home = home;
        this.notRunning = notRunning;
        this.pages = pages;
        this.rows = rows;
        this.spawn = spawn;
        this.spawns = spawns;
        this.catalog = catalog;
        this.schedules = schedules;
        this.shares = shares;
        this.storage = storage;
        this.spawners = spawners;
    }

    @GET
    @Path("home")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response home(@Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        UserEntity user = UserEntity.findByName(who.name()).orElseThrow();
        List<ServerRows.Row> servers = new ArrayList<>(rows.of(user, who.permissions(), true));
        if (servers.stream().noneMatch(r -> r.name().isEmpty())) {
            servers.add(0, new ServerRows.Row(user.name, "", "default", "stopped", null, null, null,
                    Urls.serverPrefix(user.name, ""), ServerRows.apiUrl(user.name, ""), ServerRows.spawnUrl(user.name, ""),
                    ServerRows.pendingUrl(user.name, ""), null, false));
        }
        String base = "/hub/api/users/" + Urls.escape(user.name);
        // Groups' schedules are read here, not through the API: a member may not read the group itself.
        return pages.render(home.data("page", "home").data("name", user.name).data("servers", servers)
                .data("named", spawn.allowNamedServers())
                .data("slugNames", spawn.newServerNames() == SpawnConfig.ServerNameRule.JUPYTERHUB_6).data("activityUrl", base + "/activity")
                .data("schedulesUrl", base + "/schedules")
                .data("profiles", catalog.choicesFor(user.groupNames(), user.admin))
                .data("groupSchedules", schedules.ofGroupsOf(user))
                .data("teamApps", services.openable(who.permissions()))
                .data("received", shares.received(user))
                .data("shareable", shares.shareable(user, who.permissions()))
                // Disks only where the spawner keeps any (not with local processes).
                .data("storageShown", spawners.spawner().volumes().isPresent())
                .data("disks", spawners.spawner().volumes().isPresent() ? storage.ofUser(user.name) : List.of())
                .data("month", month(user.name)), headers);
    }

    /** The user's own use this month (UTC), and the quotas they count against. */
    public record Month(String gpuHours, String serverHours, long sessions, List<String> quotas) {}

    private Month month(String user) {
        Instant now = usage.now();
        UsageReport.Row total = usage.report(Usage.monthStart(now), now, UsageReport.By.USER, user, null).total();
        return new Month(UsageChart.hours(total.gpuSeconds()), UsageChart.hours(total.serverSeconds()), total.sessions(),
                admission.quotaState(user, 1));
    }

    @GET
    @Path("user/{name}")
    @Produces(MediaType.TEXT_HTML)
    public Response notRunningRoot(@PathParam("name") String name, @Context HttpHeaders headers, @Context UriInfo uri) {
        return notRunning(name, "", headers, uri);
    }

    /**
     * 503 with a way on: to the progress page while it starts, to the spawn page for one's own
     * stopped server, and always back to the hub.
     */
    @GET
    @Path("user/{name}/{rest: .*}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response notRunning(@PathParam("name") String name, @PathParam("rest") String rest,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        // /hub/user/alice/gpu/... is Alice's named server "gpu" when she has one by that name.
        String first = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        String server = spawn.allowNamedServers() && !first.isEmpty() && hasServer(name, first) ? first : "";
        boolean starting = "spawn".equals(spawns.pending(name, server));
        boolean own = who.name().equals(name);
        return pages.render(503, notRunning.data("name", name).data("server", server).data("starting", starting)
                .data("own", own).data("spawnUrl", ServerRows.spawnUrl(name, server))
                .data("pendingUrl", ServerRows.pendingUrl(name, server)), headers);
    }

    private static boolean hasServer(String user, String server) {
        return UserEntity.findByName(user).flatMap(u -> u.server(server)).isPresent();
    }
}
