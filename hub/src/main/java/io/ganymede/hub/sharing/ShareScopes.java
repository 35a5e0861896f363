package io.ganymede.hub.sharing;

import io.ganymede.hub.scopes.Scope;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The scopes a share may hold: each confined to the shared server, as JupyterHub's {@code Share.apply_filter}. */
public final class ShareScopes {

    private ShareScopes() {}

    /** What a share grants when nobody says: reaching the server. */
    public static List<String> defaults(String owner, String serverName) {
        return List.of("access:servers!" + filter(owner, serverName));
    }

    /**
     * The scopes with the server's filter, sorted and without repeats.
     *
     * @throws Scope.InvalidScopeException for an unknown scope, a metascope, or a filter other than the server's
     */
    public static List<String> confine(Collection<String> scopes, String owner, String serverName) {
        String filter = filter(owner, serverName);
        TreeSet<String> confined = new TreeSet<>();
        for (String scope : scopes) {
            Scope parsed = Scope.parse(scope);
            int bang = scope.indexOf('!');
            if (bang >= 0 && !scope.substring(bang + 1).equals(filter)) {
                throw new IllegalArgumentException("!" + scope.substring(bang + 1) + " not allowed on sharing "
                        + scope + ", only !" + filter);
            }
            confined.add(Scope.parse(parsed.base() + "!" + filter).base() + "!" + filter);
        }
        return List.copyOf(confined);
    }

    private static String filter(String owner, String serverName) {
        return "server=" + owner + "/" + serverName;
    }
}
