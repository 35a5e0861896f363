package io.ganymede.hub.scopes;

import java.util.List;
import java.util.Map;

/** JupyterHub's built-in roles and the scopes they grant. */
public final class Roles {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final String SERVER = "server";
    public static final String TOKEN = "token";

    private static final Map<String, List<String>> SCOPES = Map.of(
            USER, List.of("self"),
            ADMIN, List.of("admin-ui", "admin:users", "admin:servers", "admin:services", "tokens", "admin:groups", "list:services",
                    "read:services", "read:hub", "proxy", "shutdown", "access:services", "access:servers",
                    "read:roles", "read:metrics", "shares"),
            // A server's own token: report its activity and let its users in, nothing more.
            SERVER, List.of("users:activity!user", "access:servers!server"),
            TOKEN, List.of("inherit"));

    private Roles() {}

    public static List<String> scopes(String role) {
        List<String> scopes = SCOPES.get(role);
        if (scopes == null) {
            throw new IllegalArgumentException("no such role: " + role);
        }
        return scopes;
    }

    public static boolean exists(String role) {
        return SCOPES.containsKey(role);
    }
}
