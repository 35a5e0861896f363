package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.Scope;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.sharing.ShareScopes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading sharing requests as JupyterHub's request models do (unknown keys and wrong types are a
 * 400), finding the shared server, and checking that the caller may grant what they share.
 */
final class ShareRequests {

    private ShareRequests() {}

    /** A grant or revoke: scopes (null for the default, or all) and exactly one of user or group. */
    record Grant(List<String> scopes, String user, String group) {}

    static Grant grant(String body) {
        Map<String, Object> request = JsonBody.object(body);
        allowOnly(request, Set.of("scopes", "user", "group"));
        List<String> scopes = scopes(request);
        String user = text(request, "user");
        String group = text(request, "group");
        if (user != null && group != null) {
            throw ApiException.badRequest("Expected exactly one of `user` or `group`, not both.");
        }
        if (user == null && group == null) {
            throw ApiException.badRequest("Specify exactly one of `user` or `group`");
        }
        return new Grant(scopes, user, group);
    }

    /** The body of a new code: its scopes and its {@code expires_in} in seconds. */
    static Map<String, Object> code(String body) {
        Map<String, Object> request = JsonBody.object(body);
        allowOnly(request, Set.of("scopes", "expires_in"));
        scopes(request);
        return request;
    }

    /** Scopes as asked, null when none: each must exist, with any filter JupyterHub knows. */
    static List<String> scopes(Map<String, Object> request) {
        List<String> scopes = JsonBody.strings(request, "scopes");
        if (scopes == null || scopes.isEmpty()) {
            return null;
        }
        for (String scope : scopes) {
            String base = scope.contains("!") ? scope.substring(0, scope.indexOf('!')) : scope;
            try {
                Scope.parse(base);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Scope '" + scope + "' for share does not exist");
            }
        }
        return scopes;
    }

    /** The scopes confined to the server, the default (access) when none are asked. */
    static List<String> confined(List<String> scopes, String owner, String serverName) {
        try {
            return scopes == null ? ShareScopes.defaults(owner, serverName) : ShareScopes.confine(scopes, owner, serverName);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** The owner's server; a 404 when either is missing. */
    static ServerEntity server(String owner, String serverName) {
        return UserEntity.findByName(owner).flatMap(u -> u.server(serverName))
                .orElseThrow(() -> ApiException.notFound("No such server: " + owner + "/" + serverName));
    }

    /**
     * Whether an owner's path ({@code /shares/alice/}) names their default server: only with its
     * trailing slash, as JupyterHub's routes have it.
     */
    static boolean namesServer(jakarta.ws.rs.core.UriInfo uri) {
        return uri.getPath().endsWith("/");
    }

    /** The default server's name, for methods on an owner's path; without the trailing slash, a 405. */
    static String defaultServer(jakarta.ws.rs.core.UriInfo uri) {
        if (!namesServer(uri)) {
            throw new ApiException(405, "Method Not Allowed: only GET is supported without a server");
        }
        return "";
    }

    /** A scope for all of an owner's servers, checked here when the filter admitted the default server's. */
    static void requireForOwner(Caller caller, String scope, String owner) {
        if (!caller.permissions().allows(scope, Target.user(owner, io.ganymede.hub.auth.Identities.groupsOf(owner)))) {
            throw ApiException.notFound("No access to resources or resources not found");
        }
    }

    /** The default server, for a recipient's share path that names one ({@code /shared/alice/}); otherwise a 404. */
    static String sharedServer(jakarta.ws.rs.core.UriInfo uri, String missing) {
        if (namesServer(uri)) {
            return "";
        }
        throw ApiException.notFound(missing);
    }

    /** One may only share what one holds on the server oneself. */
    static void checkMayGrant(Caller caller, List<String> confined, String owner, String serverName) {
        Target server = Target.server(owner, serverName, io.ganymede.hub.auth.Identities.groupsOf(owner));
        for (String scope : confined) {
            if (!caller.permissions().allows(scope.substring(0, scope.indexOf('!')), server)) {
                throw new ApiException(403, "Do not have permission to grant share with scope " + scope);
            }
        }
    }

    private static void allowOnly(Map<String, Object> request, Set<String> keys) {
        for (String key : request.keySet()) {
            if (!keys.contains(key)) {
                throw ApiException.badRequest("Unexpected field '" + key + "': extra inputs are not permitted; expected "
                        + new java.util.TreeSet<>(keys));
            }
        }
    }

    private static String text(Map<String, Object> request, String key) {
        Object value = request.get(key);
        if (value != null && !(value instanceof String)) {
            throw ApiException.badRequest(key + " must be null or a string, not " + value);
        }
        return (String) value;
    }
}
