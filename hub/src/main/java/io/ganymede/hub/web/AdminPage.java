package io.ganymede.hub.web;

import io.ganymede.hub.activity.ActivityBuffer;
import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.profiles.ProfilesStatus;
import io.ganymede.hub.schedules.Schedules;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /hub/admin}: users (search, pages, their servers), groups (with their scheduled starts),
 * services (with the runs of managed apps and who used them last), the state of profiles.yaml
 * and the culler. The page only reads; every change goes through the REST API from its script, so
 * the API's scope checks decide what an admin may do.
 */
@Path("/hub/admin")
public class AdminPage {

    static final int PAGE_SIZE = 20;

    /** One user row; {@code canOpen} when the admin may enter the user's servers (access:servers). */
    public record UserRow(String name, String seg, boolean admin, List<String> groups, String created,
            String lastActivity, List<ServerRows.Row> servers, boolean canOpen, boolean self) {}

    /**
     * One group: its API model, its schedules when the admin may read them, and whether they may
     * change them ({@code admin:groups}), with the profiles every member may use for the form.
     */
    public record GroupRow(Map<String, Object> model, List<Map<String, Object>> schedules, boolean canSchedule,
            List<Map<String, String>> profiles, String schedulesUrl) {}

    private final Template admin;
    private final HtmlPages pages;
    private final ServerRows rows;
    private final ProfileCatalog catalog;
    private final Schedules schedules;
    private final ActivityBuffer activity;
    private final StoragePanel storage;
    private final io.ganymede.hub.spawner.SpawnerSelector spawners;
    private final ServiceRows services;

    AdminPage(@Location("admin.html") Template admin, HtmlPages pages, ServerRows rows, ProfileCatalog catalog,
            Schedules schedules, ActivityBuffer activity, StoragePanel storage, io.ganymede.hub.spawner.SpawnerSelector spawners,
            ServiceRows services) {
        this.services = services;
        this.admin = admin;
        this.pages = pages;
        this.rows = rows;
        this.catalog = catalog;
        this.schedules = schedules;
        this.activity = activity;
        this.storage = storage;
        this.spawners = spawners;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response page(@QueryParam("q") @DefaultValue("") String q, @QueryParam("offset") @DefaultValue("0") int offset,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        if (!who.permissions().holds("admin-ui")) {
            throw new ApiException(403, "The admin page is for admins.");
        }
        String search = q.strip().toLowerCase(Locale.ROOT);
        var query = search.isEmpty() ? UserEntity.<UserEntity>findAll(Sort.by("name"))
                : UserEntity.<UserEntity>find("lower(name) like ?1", Sort.by("name"), "%" + likeEscape(search) + "%");
        long total = query.count();
        int start = Math.max(0, Math.min(offset, (int) Math.max(0, total - 1)));
        List<UserRow> users = new ArrayList<>();
        for (UserEntity u : query.page(Page.of(0, PAGE_SIZE)).range(start, start + PAGE_SIZE - 1).list()) {
            boolean canOpen = who.permissions().allows("access:servers", Target.user(u.name, u.groupNames()));
            users.add(new UserRow(u.name, Urls.escape(u.name), u.admin, u.groupNames().stream().sorted().toList(),
                    ApiModels.iso(u.created), ApiModels.iso(activity.lastActivity(u)), rows.of(u, who.permissions(), false),
                    canOpen, u.name.equals(who.name())));
        }
        List<GroupRow> groups = GroupEntity.<GroupEntity>findAll(Sort.by("name")).list().stream()
                .map(g -> groupRow(g, who.permissions())).toList();
        ProfilesStatus profiles = catalog.status();
        boolean refusedNow = profiles.lastRefusedAt() != null && profiles.lastRefusedAt().isAfter(profiles.lastGoodLoad());
        return pages.render(admin.data("page", "admin").data("q", q).data("users", users).data("total", total)
                .data("from", total == 0 ? 0 : start + 1).data("to", start + users.size())
                .data("prev", start > 0 ? Math.max(0, start - PAGE_SIZE) : -1)
                .data("next", start + PAGE_SIZE < total ? start + PAGE_SIZE : -1)
                .data("groups", groups).data("services", services.readable(who.permissions()))
                .data("profiles", profiles).data("refusedNow", refusedNow)
                // Every disk, for admins holding admin:servers, where the spawner keeps disks.
                .data("storage", spawners.spawner().volumes().isPresent() && who.permissions().holds("admin:servers")
                        ? storage.overview(who.permissions()) : null), headers);
    }

    private GroupRow groupRow(GroupEntity group, Permissions permissions) {
        Target target = Target.group(group.name);
        boolean canSchedule = permissions.allows("admin:groups", target);
        List<Map<String, Object>> list = permissions.allows("read:groups", target)
                ? schedules.list(Schedules.Owner.group(group.name)) : List.of();
        return new GroupRow(ApiModels.group(group, permissions), list, canSchedule,
                canSchedule ? catalog.choicesFor(Set.of(group.name), false) : List.of(),
                "/hub/api/groups/" + Urls.escape(group.name) + "/schedules");
    }

    /** A search is a plain substring: a typed % is dropped (a typed _ matching any one character is harmless). */
    private static String likeEscape(String s) {
        return s.replace("%", "");
    }
}
