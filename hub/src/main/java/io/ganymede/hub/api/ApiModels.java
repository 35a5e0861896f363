package io.ganymede.hub.api;

import io.ganymede.hub.config.PublicUrls;

import io.ganymede.hub.activity.ActivityBuffer;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.culler.CullForecast;
import io.ganymede.hub.culler.Verdict;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.persistence.UserView;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.RoleCatalog;
import io.ganymede.hub.scopes.Roles;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.services.AppStates;
import io.ganymede.hub.services.ServiceDefinition;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.spawn.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JupyterHub's JSON models of users, servers, tokens, groups and services. Fields appear only when the
 * caller's scopes allow them, as JupyterHub's {@code user_model} does.
 */
@ApplicationScoped
public class ApiModels {

    private final SpawnCoordinator spawns;
    private final CullForecast culler;

    private final RoleCatalog roleCatalog;
    private final ActivityBuffer activity;
    private final PublicUrls publicUrls;
    private final AppStates apps;

    ApiModels(SpawnCoordinator spawns, CullForecast culler, RoleCatalog roleCatalog, ActivityBuffer activity,
            PublicUrls publicUrls, AppStates apps) {
        this.apps = apps;
        this.spawns = spawns;
        this.culler = culler;
        this.roleCatalog = roleCatalog;
        this.activity = activity;
        this.publicUrls = publicUrls;
    }

    public Map<String, Object> user(UserEntity user, Permissions permissions) {
        return user(UserView.of(user), permissions, false);
    }

    /** A user model; with {@code readyOnly} the servers are only those ready ({@code state=ready}). */
    public Map<String, Object> user(UserEntity user, Permissions permissions, boolean readyOnly) {
        return user(UserView.of(user), permissions, readyOnly);
    }

    /** A user model from a view: a page of users is read as views ({@link UserView#page}). */
    public Map<String, Object> user(UserView user, Permissions permissions, boolean readyOnly) {
        Set<String> groups = user.groups();
        Target target = Target.user(user.name(), groups);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("kind", "user");
        model.put("name", user.name());
        if (permissions.allows("read:users", target)) {
            // JupyterHub 6.0's profile details from the authenticator (display name, avatar...):
            // Ganymede's sign-ins give none, as JupyterHub's own authenticators give none.
            model.put("user_info", null);
            model.put("admin", user.admin());
            model.put("roles", roleCatalog.rolesOf(user.name(), user.admin(), groups));
            model.put("groups", new ArrayList<>(groups));
            model.put("created", iso(user.created()));
            model.put("last_activity", iso(activity.lastActivity(user.id(), user.lastActivity())));
            ServerEntity defaultServer = user.server("").orElse(null);
            String pending = defaultServer == null ? spawns.pending(user.name(), "") : spawns.pending(defaultServer);
            model.put("server", defaultServer != null && defaultServer.running() && pending == null
                    ? Urls.serverPrefix(user.name(), "") : null);
            model.put("pending", pending);
        } else {
            if (permissions.allows("read:users:name", target)) {
                model.put("user_info", null);
                model.put("admin", user.admin());
            }
            if (permissions.allows("read:users:groups", target)) {
                model.put("groups", new ArrayList<>(groups));
            }
            if (permissions.allows("read:users:activity", target)) {
                model.put("last_activity", iso(activity.lastActivity(user.id(), user.lastActivity())));
            }
        }
        if (permissions.allows("read:servers", Target.server(user.name(), "", groups))
                || permissions.allows("read:servers", target)) {
            Map<String, Object> servers = new LinkedHashMap<>();
            for (ServerEntity server : user.servers()) {
                if (!permissions.allows("read:servers", Target.server(user.name(), server.name, groups))) {
                    continue;
                }
                String pending = spawns.pending(server);
                boolean ready = server.running() && pending == null;
                if ((readyOnly && !ready) || (!server.running() && pending == null)) {
                    continue;
                }
                servers.put(server.name, server(server, groups, permissions));
            }
            model.put("servers", servers);
        }
        return model;
    }

    /** The user's role names, custom roles from configuration included. */
    public List<String> roles(UserEntity user) {
        return roleCatalog.rolesOf(user.name, user.admin, user.groupNames());
    }

    public Map<String, Object> server(ServerEntity server, Permissions permissions) {
        return server(server, server.user.groupNames(), permissions);
    }

    /** A server model, with its user's groups known already. */
    public Map<String, Object> server(ServerEntity server, Set<String> groups, Permissions permissions) {
        String user = server.user.name;
        String pending = spawns.pending(server);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", server.name);
        model.put("display_name", server.displayName);
        model.put("full_name", user + "/" + server.name);
        model.put("ready", server.running() && pending == null);
        model.put("stopped", !server.running() && pending == null);
        model.put("pending", pending);
        String url = Urls.serverPrefix(user, server.name);
        String progressUrl = progressUrl(user, server.name);
        model.put("url", url);
        model.put("user_options", io.ganymede.hub.persistence.JsonColumns.object(server.userOptions));
        model.put("progress_url", progressUrl);
        model.put("full_url", publicUrls.of(url).orElse(null));
        model.put("full_progress_url", publicUrls.of(progressUrl).orElse(null));
        model.put("started", iso(server.started));
        model.put("last_activity", iso(activity.lastActivity(server)));
        // Ganymede: when the culler will stop it without more activity (null: never), and whether that is near.
        Verdict cull = culler.of(server, pending);
        model.put("cull_at", iso(cull.cullAt()));
        model.put("cull_warning", cull.warning());
        if (permissions.allows("admin:server_state", Target.server(user, server.name, groups))) {
            model.put("state", io.ganymede.hub.persistence.JsonColumns.object(server.spawnerState));
        }
        return model;
    }

    public static String progressUrl(String user, String serverName) {
        String base = "/hub/api/users/" + Urls.escape(user);
        return serverName.isEmpty() ? base + "/server/progress" : base + "/servers/" + Urls.escape(serverName) + "/progress";
    }

    public static Map<String, Object> token(TokenEntity token) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("kind", "api_token");
        model.put("id", token.publicId());
        model.put("user", token.user.name);
        model.put("service", null);
        model.put("roles", List.of());
        model.put("scopes", token.scopeList());
        model.put("note", token.note);
        model.put("created", iso(token.created));
        model.put("expires_at", iso(token.expiresAt));
        model.put("last_activity", iso(token.lastActivity));
        model.put("session_id", null);
        model.put("oauth_client", token.clientId.equals("jupyterhub") ? "JupyterHub" : token.clientId);
        return model;
    }

    public static Map<String, Object> group(GroupEntity group, Permissions permissions) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("kind", "group");
        model.put("name", group.name);
        if (permissions.allows("read:groups", Target.group(group.name))) {
            model.put("users", group.users.stream().map(u -> u.name).sorted().toList());
            model.put("properties", io.ganymede.hub.persistence.JsonColumns.object(group.properties));
            model.put("roles", List.of());
        }
        return model;
    }

    /** The caller as {@code GET /user} shows it: the model plus {@code scopes}. */
    public Map<String, Object> whoami(Caller caller) {
        Map<String, Object> model;
        ServiceEntity service = caller.service() ? ServiceEntity.findByName(caller.name()).orElse(null) : null;
        if (service != null) {
            model = service(service, roleCatalog.rolesOfService(service.name, service.admin, service.roleList()),
                    caller.permissions());
        } else if (caller.service()) {
            // The configured admin token: a service of its own, with the admin role.
            model = new LinkedHashMap<>();
            model.put("kind", "service");
            model.put("name", caller.name());
            model.put("admin", true);
            model.put("roles", List.of(Roles.ADMIN));
        } else {
            UserEntity user = UserEntity.findByName(caller.name()).orElseThrow();
            model = user(user, caller.permissions());
        }
        model.put("scopes", new ArrayList<>(caller.permissions().asStrings()));
        // The token's public id (JupyterHub 5.0); none for the login cookie, as there.
        TokenEntity token = caller.tokenId() == null || caller.viaCookie() ? null : TokenEntity.findById(caller.tokenId());
        model.put("token_id", token == null ? null : token.publicId());
        model.put("session_id", null);
        return model;
    }

    /**
     * A service, as JupyterHub's {@code service_model}: the fields each scope the caller holds on
     * it allows ({@code read:services} everything but roles, {@code read:services:name} its name,
     * {@code read:roles:services} its roles). External services have no command and no process.
     * A managed app adds (a Ganymede extension, with {@code read:services}) its run: {@code app}.
     */
    public Map<String, Object> service(ServiceEntity service, List<String> roles, Permissions permissions) {
        Target target = Target.service(service.name);
        boolean full = permissions.allows("read:services", target);
        boolean withRoles = permissions.allows("read:roles:services", target);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("kind", "service");
        model.put("name", service.name);
        model.put("admin", service.admin);
        if (withRoles) {
            model.put("roles", roles);
        }
        if (full) {
            Optional<AppStates.AppState> app = apps.of(service);
            model.put("url", service.url == null ? "" : service.url);
            // A managed app is served under its prefix too, though the hub, not the configuration, knows where it runs.
            model.put("prefix", service.url == null && app.isEmpty() ? "" : ServiceDefinition.prefix(service.name));
            model.put("command", List.of());
            model.put("pid", 0);
            model.put("info", service.infoObject());
            model.put("display", service.display);
            app.ifPresent(run -> model.put("app", app(run)));
        }
        return model;
    }

    private static Map<String, Object> app(AppStates.AppState app) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("state", app.state());
        model.put("started", iso(app.started()));
        model.put("last_activity", iso(app.lastActivity()));
        model.put("idle_stop_at", iso(app.idleStopAt()));
        return model;
    }

    /** The last second of year 9999: later times (and times before 1970) take {@link Instant#toString}'s path. */
    private static final long LAST_FAST_SECOND = 253402300799L;

    /**
     * ISO 8601 with milliseconds and a Z, as JupyterHub writes times: what
     * {@code instant.truncatedTo(MILLIS).toString()} gives (no fraction for a whole second), written
     * directly. A page of 200 users has 400 times, and {@code Instant.toString} allocated half of
     * the page's memory and a good share of its time.
     */
    public static String iso(Instant instant) {
        if (instant == null) {
            return null;
        }
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds > LAST_FAST_SECOND) {
            return instant.truncatedTo(ChronoUnit.MILLIS).toString();
        }
        int millis = instant.getNano() / 1_000_000;
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(seconds / 86_400);
        int secondOfDay = (int) (seconds % 86_400);
        byte[] text = new byte[millis == 0 ? 20 : 24];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        if (millis != 0) {
            text[19] = '.';
            digits(text, 20, millis, 3);
        }
        text[text.length - 1] = 'Z';
        return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
