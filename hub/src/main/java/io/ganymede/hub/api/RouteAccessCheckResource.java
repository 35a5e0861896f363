package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Target;
import io.smallrye.common.annotation.Blocking;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /hub/api/routes/access?path=<route>}: whether the calling token may use a proxy route
 * (a Ganymede extension). The proxy asks it, with the request's own token, before it lets an API
 * token through a route gated for apps without a login of their own: a service with
 * {@code login-at-proxy} ({@code /services/<name>}, needs {@code access:services!service=<name>}),
 * an RStudio or code-server server ({@code /user/<name>[/<server>]}, needs
 * {@code access:servers!server=<name>/<server>}, which shares give too). The answer depends on the
 * scopes alone, so it tells nobody which users or services exist.
 */
@Path("/hub/api/routes/access")
@Produces(MediaType.APPLICATION_JSON)
@Blocking // the caller is resolved from the database before any method runs
public class RouteAccessCheckResource {

    private final CurrentCaller caller;

    RouteAccessCheckResource(CurrentCaller caller) {
        this.caller = caller;
    }

    /** The scope a route needs and the resource it is checked on. */
    record Needed(String scope, Target target, String filter) {}

    @GET
    @NeedsScope({}) // any valid token may ask about itself; the check is the answer
    @Transactional
    public Map<String, Object> check(@QueryParam("path") String path) {
        Caller who = caller.require();
        Needed needed = needed(path, who.permissions().filtersByGroup("access:servers"));
        if (!who.permissions().allows(needed.scope(), needed.target())) {
            throw new ApiException(403, "This token may not use " + withSlash(path) + ": it needs "
                    + needed.scope() + "!" + needed.filter());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", withSlash(path));
        body.put("scope", needed.scope() + "!" + needed.filter());
        return body;
    }

    /**
     * What a route, as the proxy stores it (unescaped, with or without its trailing slash), needs.
     *
     * @param withGroups whether the server owner's groups matter (a scope held through a group filter)
     */
    static Needed needed(String path, boolean withGroups) {
        if (path == null || path.isEmpty()) {
            throw ApiException.badRequest("Missing the path parameter: the route to check, e.g. /services/<name>");
        }
        String[] parts = withSlash(path).split("/", -1);
        // "", kind, name[, server], "" (from the trailing slash)
        boolean service = parts.length == 4 && parts[1].equals("services") && !parts[2].isEmpty();
        boolean server = (parts.length == 4 || parts.length == 5) && parts[1].equals("user") && !parts[2].isEmpty()
                && (parts.length == 4 || !parts[3].isEmpty());
        if (service) {
            return new Needed("access:services", Target.service(parts[2]), "service=" + parts[2]);
        }
        if (!server) {
            throw ApiException.badRequest("Not the route of a service or a user's server: " + path
                    + " (expected /services/<name> or /user/<name>[/<server>])");
        }
        String user = parts[2];
        String serverName = parts.length == 5 ? parts[3] : "";
        Set<String> groups = withGroups ? UserEntity.findByName(user).map(UserEntity::groupNames).orElse(Set.of()) : Set.of();
        return new Needed("access:servers", Target.server(user, serverName, groups), "server=" + user + "/" + serverName);
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }
}
