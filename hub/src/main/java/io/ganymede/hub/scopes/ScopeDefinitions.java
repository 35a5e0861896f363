package io.ganymede.hub.scopes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JupyterHub's scope vocabulary (jupyterhub/scopes.py): every scope and the subscopes it implies.
 * Kept as data so the hierarchy is read in one place.
 */
public final class ScopeDefinitions {

    private static final Map<String, List<String>> SUBSCOPES = Map.ofEntries(
            Map.entry("(no_scope)", List.of()),
            Map.entry("self", List.of()),
            Map.entry("inherit", List.of()),
            Map.entry("admin-ui", List.of()),
            Map.entry("admin:users", List.of("admin:auth_state", "users", "read:roles:users", "delete:users")),
            Map.entry("admin:auth_state", List.of()),
            Map.entry("users", List.of("read:users", "list:users", "users:activity")),
            Map.entry("delete:users", List.of()),
            Map.entry("list:users", List.of("read:users:name")),
            Map.entry("read:users", List.of("read:users:name", "read:users:groups", "read:users:activity")),
            Map.entry("read:users:name", List.of()),
            Map.entry("read:users:groups", List.of()),
            Map.entry("read:users:activity", List.of()),
            Map.entry("read:roles", List.of("read:roles:users", "read:roles:services", "read:roles:groups")),
            Map.entry("read:roles:users", List.of()),
            Map.entry("read:roles:services", List.of()),
            Map.entry("read:roles:groups", List.of()),
            Map.entry("users:activity", List.of("read:users:activity")),
            Map.entry("admin:servers", List.of("admin:server_state", "servers")),
            Map.entry("admin:server_state", List.of()),
            Map.entry("servers", List.of("read:servers", "start:servers", "delete:servers")),
            Map.entry("read:servers", List.of("read:users:name")),
            Map.entry("start:servers", List.of()),
            Map.entry("delete:servers", List.of()),
            Map.entry("tokens", List.of("read:tokens")),
            Map.entry("read:tokens", List.of()),
            Map.entry("admin:groups", List.of("groups", "read:roles:groups", "delete:groups")),
            Map.entry("groups", List.of("read:groups", "list:groups")),
            Map.entry("list:groups", List.of("read:groups:name")),
            Map.entry("read:groups", List.of("read:groups:name")),
            Map.entry("read:groups:name", List.of()),
            Map.entry("delete:groups", List.of()),
            Map.entry("admin:services", List.of("list:services", "read:services", "read:roles:services")),
            Map.entry("list:services", List.of("read:services:name")),
            Map.entry("read:services", List.of("read:services:name")),
            Map.entry("read:services:name", List.of()),
            Map.entry("read:hub", List.of()),
            Map.entry("access:servers", List.of()),
            Map.entry("shares", List.of("access:servers", "read:shares", "users:shares", "groups:shares")),
            Map.entry("read:shares", List.of()),
            Map.entry("users:shares", List.of("read:users:shares")),
            Map.entry("read:users:shares", List.of()),
            Map.entry("groups:shares", List.of("read:groups:shares")),
            Map.entry("read:groups:shares", List.of()),
            Map.entry("access:services", List.of()),
            Map.entry("proxy", List.of()),
            Map.entry("shutdown", List.of()),
            Map.entry("read:metrics", List.of()));

    /**
     * What the {@code self} metascope means for a user: their own resources. As JupyterHub 5, seeing
     * who their servers are shared with and leaving shares, but not sharing: that is {@code shares},
     * granted by a role.
     */
    static final List<String> SELF = List.of(
            "read:users", "read:users:name", "read:users:groups", "users:activity", "read:users:activity",
            "users:shares", "read:users:shares", "read:shares",
            "servers", "read:servers", "start:servers", "delete:servers", "tokens", "read:tokens", "access:servers");

    private ScopeDefinitions() {}

    public static boolean isKnown(String base) {
        return SUBSCOPES.containsKey(base);
    }

    /** The scope and every scope it implies, transitively. */
    static Set<String> withSubscopes(String base) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(base));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (all.add(next)) {
                todo.addAll(SUBSCOPES.getOrDefault(next, List.of()));
            }
        }
        return all;
    }
}
