package io.ganymede.hub.scopes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A set of expanded scopes: for each base scope, either everything or a set of filters
 * ({@code user}, {@code server}, {@code group}, {@code service} to allowed values), as JupyterHub's parsed scopes.
 * Immutable.
 */
public final class Permissions {

    /** Marks a scope held without filters. */
    private static final Map<String, Set<String>> ALL = Collections.unmodifiableMap(new HashMap<>());

    public static final Permissions NONE = new Permissions(Map.of());

    private final Map<String, Map<String, Set<String>>> scopes;

    private Permissions(Map<String, Map<String, Set<String>>> scopes) {
        this.scopes = scopes;
    }

    /**
     * Expands raw scopes (with metascopes, subscopes and filters) for an owner.
     *
     * @param raw scopes as written in roles or tokens, e.g. {@code self}, {@code read:users!group=ds}
     * @param owner the user the scopes belong to ({@code self}, bare {@code !user})
     * @param ownServer the server a server token belongs to ({@code alice/}), for bare {@code !server}
     * @throws Scope.InvalidScopeException for a scope {@link Scope#parse} refuses, or a bare filter without its owner
     */
    public static Permissions expand(Collection<String> raw, String owner, String ownServer) {
        return expand(raw, owner, ownServer, null);
    }

    /**
     * Expands a service's scopes, as JupyterHub does for a service: {@code self} means nothing,
     * a bare {@code !service} is the service itself, and a bare {@code !user} or {@code !server}
     * (which only a user has) is dropped.
     */
    public static Permissions expandForService(Collection<String> raw, String service) {
        List<String> kept = new ArrayList<>();
        for (String written : raw) {
            Scope scope = Scope.parse(written);
            boolean ownerless = scope.value() == null && ("user".equals(scope.entity()) || "server".equals(scope.entity()));
            if (!scope.base().equals("self") && !ownerless) {
                kept.add(written);
            }
        }
        return expand(kept, null, null, service);
    }

    /** As {@link #expand(Collection, String, String)}, with the service a bare {@code !service} stands for. */
    static Permissions expand(Collection<String> raw, String owner, String ownServer, String ownService) {
        Map<String, Map<String, Set<String>>> result = new LinkedHashMap<>();
        for (String written : raw) {
            Scope scope = Scope.parse(written);
            if (scope.base().equals("self")) {
                for (String base : ScopeDefinitions.SELF) {
                    add(result, base, "user", owner);
                }
                continue;
            }
            String value = scope.value();
            if (scope.entity() != null && value == null) {
                value = switch (scope.entity()) {
                    case "user" -> owner;
                    case "service" -> ownService;
                    default -> ownServer;
                };
                if (value == null) {
                    throw new Scope.InvalidScopeException("Unrecognized scope filter in '" + written
                            + "': a bare !" + scope.entity() + " needs an owning " + scope.entity());
                }
            }
            for (String implied : ScopeDefinitions.withSubscopes(scope.base())) {
                add(result, implied, scope.entity(), value);
            }
        }
        return new Permissions(freeze(result));
    }

    private static void add(Map<String, Map<String, Set<String>>> into, String base, String entity, String value) {
        Map<String, Set<String>> filters = into.get(base);
        if (filters == ALL) {
            return;
        }
        if (entity == null) {
            into.put(base, ALL);
            return;
        }
        if (filters == null) {
            filters = new HashMap<>();
            into.put(base, filters);
        }
        filters.computeIfAbsent(entity, e -> new HashSet<>()).add(value);
    }

    private static Map<String, Map<String, Set<String>>> freeze(Map<String, Map<String, Set<String>>> scopes) {
        Map<String, Map<String, Set<String>>> frozen = new LinkedHashMap<>();
        scopes.forEach((base, filters) -> {
            if (filters == ALL) {
                frozen.put(base, ALL);
            } else {
                Map<String, Set<String>> copy = new HashMap<>();
                filters.forEach((entity, values) -> copy.put(entity, Set.copyOf(values)));
                frozen.put(base, Map.copyOf(copy));
            }
        });
        return Collections.unmodifiableMap(frozen);
    }

    /** Whether the scope is held for this resource. */
    public boolean allows(String scope, Target target) {
        Map<String, Set<String>> filters = scopes.get(scope);
        if (filters == null) {
            return false;
        }
        if (filters == ALL) {
            return true;
        }
        if (target == null) {
            return false;
        }
        if (target.group() != null) {
            return contains(filters, "group", target.group());
        }
        if (target.service() != null) {
            return contains(filters, "service", target.service());
        }
        if (target.server() != null && contains(filters, "server", target.server())) {
            return true;
        }
        if (target.user() != null && contains(filters, "user", target.user())) {
            return true;
        }
        Set<String> groups = filters.get("group");
        return groups != null && target.userGroups() != null && target.userGroups().stream().anyMatch(groups::contains);
    }

    /** Whether the scope is held for some groups' members, so that checking it needs a user's groups. */
    public boolean filtersByGroup(String scope) {
        Map<String, Set<String>> filters = scopes.get(scope);
        return filters != null && filters != ALL && filters.containsKey("group");
    }

    /** Whether the scope is held at all, for some resource (list endpoints filter the result). */
    public boolean holds(String scope) {
        return scopes.containsKey(scope);
    }

    /** Whether the scope is held without any filter. */
    public boolean holdsUnfiltered(String scope) {
        return scopes.get(scope) == ALL;
    }

    /**
     * What both sides allow: a token can never exceed its owner. Group filters on one side are
     * matched against user and server filters on the other through {@code groupsOfUser}.
     */
    public Permissions intersect(Permissions other, Function<String, Set<String>> groupsOfUser) {
        Map<String, Map<String, Set<String>>> result = new LinkedHashMap<>();
        for (var entry : scopes.entrySet()) {
            String base = entry.getKey();
            Map<String, Set<String>> mine = entry.getValue();
            Map<String, Set<String>> theirs = other.scopes.get(base);
            if (theirs == null) {
                continue;
            }
            if (mine == ALL) {
                result.put(base, theirs);
            } else if (theirs == ALL) {
                result.put(base, mine);
            } else {
                Map<String, Set<String>> common = new HashMap<>();
                narrow(mine, theirs, groupsOfUser, common);
                narrow(theirs, mine, groupsOfUser, common);
                if (!common.isEmpty()) {
                    result.put(base, common);
                }
            }
        }
        return new Permissions(freeze(result));
    }

    /** Adds to {@code common} each filter value of {@code a} that {@code b} also covers. */
    private static void narrow(Map<String, Set<String>> a, Map<String, Set<String>> b,
            Function<String, Set<String>> groupsOfUser, Map<String, Set<String>> common) {
        for (var entry : a.entrySet()) {
            String entity = entry.getKey();
            for (String value : entry.getValue()) {
                boolean covered = switch (entity) {
                    case "group" -> contains(b, "group", value);
                    case "service" -> contains(b, "service", value);
                    case "user" -> contains(b, "user", value)
                            || groupsOfUser.apply(value).stream().anyMatch(g -> contains(b, "group", g));
                    case "server" -> {
                        String user = Scope.userOfServer(value);
                        yield contains(b, "server", value) || contains(b, "user", user)
                                || groupsOfUser.apply(user).stream().anyMatch(g -> contains(b, "group", g));
                    }
                    default -> false;
                };
                if (covered) {
                    common.computeIfAbsent(entity, e -> new HashSet<>()).add(value);
                }
            }
        }
    }

    private static boolean contains(Map<String, Set<String>> filters, String entity, String value) {
        Set<String> values = filters.get(entity);
        return values != null && values.contains(value);
    }

    /** The scopes as JupyterHub writes them in {@code GET /user}: sorted, one filter per string. */
    public Set<String> asStrings() {
        Set<String> out = new TreeSet<>();
        scopes.forEach((base, filters) -> {
            if (filters == ALL) {
                out.add(base);
            } else {
                filters.forEach((entity, values) -> values.forEach(v -> out.add(base + "!" + entity + "=" + v)));
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return asStrings().toString();
    }
}
