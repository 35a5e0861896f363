package io.ganymede.hub.scopes;

import java.util.Set;

/**
 * The resource a scope is checked against: a user (and the groups they are in), one of their
 * servers ({@code alice/} or {@code alice/gpu}), a group, or a service.
 */
public record Target(String user, String server, Set<String> userGroups, String group, String service) {

    public static Target user(String name, Set<String> groups) {
        return new Target(name, null, groups, null, null);
    }

    public static Target server(String user, String serverName, Set<String> groups) {
        return new Target(user, user + "/" + serverName, groups, null, null);
    }

    public static Target group(String name) {
        return new Target(null, null, Set.of(), name, null);
    }

    /** A service: only {@code !service=} filters reach it, as in JupyterHub. */
    public static Target service(String name) {
        return new Target(null, null, Set.of(), null, name);
    }
}
