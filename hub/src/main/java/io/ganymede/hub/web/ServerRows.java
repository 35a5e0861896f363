package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.spawn.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A user's servers as the home and admin pages list them, built from the API's server model so
 * the pages show exactly what the API says (including the culler's {@code cull_at} and
 * {@code cull_warning} once it reports them).
 */
@ApplicationScoped
public class ServerRows {

    /**
     * @param label "default" or the server's display name (JupyterHub 6.0), its name if it has none
     * @param status running, starting, stopping or stopped
     * @param apiUrl the API path of this server (start, stop)
     * @param spawnUrl the spawn page for this server
     */
    public record Row(String user, String name, String label, String status, String profile, String started,
            String lastActivity, String url, String apiUrl, String spawnUrl, String pendingUrl, String cullAt,
            boolean cullWarning) {
        public boolean ready() {
            return "running".equals(status);
        }

        public boolean stopped() {
            return "stopped".equals(status);
        }

        public boolean named() {
            return !name.isEmpty();
        }
    }

    private final ApiModels models;
    private final ProfileCards profiles;

    ServerRows(ApiModels models, ProfileCards profiles) {
        this.models = models;
        this.profiles = profiles;
    }

    /** Every server the user has, default first; with {@code includeStopped} false only those running or pending. */
    public List<Row> of(UserEntity user, Permissions permissions, boolean includeStopped) {
        List<Row> rows = new ArrayList<>();
        List<ServerEntity> servers = new ArrayList<>(user.servers);
        servers.sort(Comparator.comparing((ServerEntity s) -> !s.name.isEmpty()).thenComparing(s -> s.name));
        for (ServerEntity server : servers) {
            Map<String, Object> m = models.server(server, permissions);
            String status = Boolean.TRUE.equals(m.get("ready")) ? "running"
                    : "spawn".equals(m.get("pending")) ? "starting"
                    : "stop".equals(m.get("pending")) ? "stopping" : "stopped";
            if (!includeStopped && status.equals("stopped")) {
                continue;
            }
            Object options = m.get("user_options");
            Object slug = options instanceof Map<?, ?> o ? o.get("profile") : null;
            rows.add(new Row(user.name, server.name, server.name.isEmpty() ? "default" : server.shownName(), status,
                    profiles.displayName(slug), (String) m.get("started"), (String) m.get("last_activity"),
                    (String) m.get("url"), apiUrl(user.name, server.name), spawnUrl(user.name, server.name),
                    pendingUrl(user.name, server.name), m.get("cull_at") instanceof String at ? at : null,
                    Boolean.TRUE.equals(m.get("cull_warning"))));
        }
        return rows;
    }

    static String apiUrl(String user, String server) {
        String base = "/hub/api/users/" + Urls.escape(user);
        return server.isEmpty() ? base + "/server" : base + "/servers/" + Urls.escape(server);
    }

    static String spawnUrl(String user, String server) {
        return "/hub/spawn/" + Urls.escape(user) + (server.isEmpty() ? "" : "/" + Urls.escape(server));
    }

    static String pendingUrl(String user, String server) {
        return "/hub/spawn-pending/" + Urls.escape(user) + (server.isEmpty() ? "" : "/" + Urls.escape(server));
    }
}
