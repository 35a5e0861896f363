package io.ganymede.hub.scopes;

/**
 * One raw scope as roles and tokens write it: a known base ({@code read:users}), optionally with
 * one filter, {@code !user=alice}, {@code !server=alice/gpu}, {@code !group=ds},
 * {@code !service=whoami}, or a bare {@code !user}, {@code !server} or {@code !service} that
 * stands for the owner, the owner's server or the owning service. Every scope the
 * hub is given is parsed here, so a malformed one is refused in this one place, with a message fit
 * for a 400, instead of failing wherever its parts are used.
 *
 * @param base the scope's name
 * @param entity {@code user}, {@code server}, {@code group}, {@code service}, or null without a filter
 * @param value the filter's value; null for a bare {@code !user}, {@code !server} or {@code !service}, or without a filter
 */
public record Scope(String base, String entity, String value) {

    /** A scope that cannot be read: unknown, or with a malformed filter. */
    public static final class InvalidScopeException extends IllegalArgumentException {
        InvalidScopeException(String message) {
            super(message);
        }
    }

    /**
     * Reads one scope.
     *
     * @throws InvalidScopeException for an unknown base, a filter on a metascope, an unknown
     *     filter, an empty value, or a server filter that is not {@code user/server}
     */
    public static Scope parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidScopeException("Unrecognized scope: empty");
        }
        int bang = raw.indexOf('!');
        String base = bang < 0 ? raw : raw.substring(0, bang);
        if (!ScopeDefinitions.isKnown(base)) {
            throw new InvalidScopeException("Unrecognized scope '" + raw + "': no scope named '" + base + "'");
        }
        if (bang < 0) {
            return new Scope(base, null, null);
        }
        if (base.equals("self") || base.equals("inherit")) {
            throw new InvalidScopeException("Unrecognized scope '" + raw + "': " + base + " takes no filter");
        }
        String filter = raw.substring(bang + 1);
        int eq = filter.indexOf('=');
        String entity = eq < 0 ? filter : filter.substring(0, eq);
        String value = eq < 0 ? null : filter.substring(eq + 1);
        switch (entity) {
            case "user", "server", "group", "service" -> { }
            default -> throw new InvalidScopeException("Unrecognized scope filter '!" + filter + "' in '" + raw
                    + "': filters are !user=<name>, !server=<user>/<server>, !group=<name>, !service=<name>");
        }
        if (value == null && entity.equals("group")) {
            throw new InvalidScopeException("Unrecognized scope filter in '" + raw + "': !group needs a group name");
        }
        if (value != null && value.isEmpty()) {
            throw new InvalidScopeException("Unrecognized scope filter in '" + raw + "': !" + entity + "= needs a value");
        }
        if (value != null && entity.equals("server") && value.indexOf('/') < 1) {
            throw new InvalidScopeException("Unrecognized scope filter in '" + raw
                    + "': !server= names a user's server as <user>/<server> (<user>/ for the default one)");
        }
        return new Scope(base, entity, value);
    }

    /** The user a {@code !server=user/name} filter's value belongs to. */
    static String userOfServer(String server) {
        return server.substring(0, server.indexOf('/'));
    }
}
