package io.ganymede.hub.scopes;

import java.util.Set;

/**
 * The resource a scope is checked against: a user (and the groups they are in), one of their
 * servers ({@code alice/} or {@code alice/gpu}), or a group.
 */
public record Target(String user, String server, Set<String> userGroups, String group) {

    public static Target user(String name, Set<String> groups) {
        return new Target(name, null, groups, null);
    }

    public static Target server(String user, String serverName, Set<String> groups) {
        return new Target(user, user + "/" + serverName, groups, null);
    }

    public static Target group(String name) {
        return new Target(null, null, Set.of(), name);
    }
}
