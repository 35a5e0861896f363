package io.ganymede.hub.scopes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsTest {

    private static final Map<String, Set<String>> GROUPS = Map.of("alice", Set.of("ds"), "bob", Set.of());

    @Test
    void selfCoversOwnResourcesOnly() {
        Permissions alice = Permissions.expand(List.of("self"), "alice", null);
        assertTrue(alice.allows("read:users", Target.user("alice", Set.of())));
        assertTrue(alice.allows("servers", Target.server("alice", "gpu", Set.of())));
        assertTrue(alice.allows("access:servers", Target.server("alice", "", Set.of())));
        assertFalse(alice.allows("read:users", Target.user("bob", Set.of())));
        assertFalse(alice.holds("list:users"));
        assertFalse(alice.holds("admin:users"));
    }

    @Test
    void subscopesAreImpliedTransitively() {
        Permissions admin = Permissions.expand(Roles.scopes(Roles.ADMIN), "root", null);
        for (String implied : List.of("list:users", "read:users:activity", "delete:servers", "start:servers",
                "admin:server_state", "read:tokens", "read:groups:name")) {
            assertTrue(admin.holdsUnfiltered(implied), implied);
        }
    }

    @Test
    void serverFiltersNeverGrantTheUser() {
        Permissions server = Permissions.expand(Roles.scopes(Roles.SERVER), "alice", "alice/gpu");
        assertTrue(server.allows("access:servers", Target.server("alice", "gpu", Set.of())));
        assertFalse(server.allows("access:servers", Target.server("alice", "", Set.of())));
        assertTrue(server.allows("users:activity", Target.user("alice", Set.of())));
        assertFalse(server.allows("users:activity", Target.user("bob", Set.of())));
        assertEquals(Set.of("access:servers!server=alice/gpu", "read:users:activity!user=alice", "users:activity!user=alice"),
                server.asStrings());
    }

    @Test
    void groupFiltersMatchMembersAndTheirServers() {
        Permissions p = Permissions.expand(List.of("read:users!group=ds", "access:servers!group=ds"), "x", null);
        assertTrue(p.allows("read:users", Target.user("alice", Set.of("ds"))));
        assertTrue(p.allows("access:servers", Target.server("alice", "", Set.of("ds"))));
        assertFalse(p.allows("read:users", Target.user("bob", Set.of())));
    }

    @Test
    void aTokenNeverExceedsItsOwner() {
        Permissions owner = Permissions.expand(List.of("self"), "alice", null);
        Permissions token = Permissions.expand(List.of("read:users", "access:servers!server=alice/", "admin:users"), "alice", null);
        Permissions effective = token.intersect(owner, u -> GROUPS.getOrDefault(u, Set.of()));
        assertTrue(effective.allows("read:users", Target.user("alice", Set.of())));
        assertFalse(effective.allows("read:users", Target.user("bob", Set.of())));
        assertTrue(effective.allows("access:servers", Target.server("alice", "", Set.of())));
        assertFalse(effective.allows("access:servers", Target.server("alice", "other", Set.of())));
        assertFalse(effective.holds("admin:users"));
    }

    @Test
    void groupFilterOfTheOwnerCoversUsersOfThatGroup() {
        Permissions owner = Permissions.expand(List.of("read:users!group=ds"), "lead", null);
        Permissions token = Permissions.expand(List.of("read:users!user=alice", "read:users!user=bob"), "lead", null);
        Permissions effective = token.intersect(owner, u -> GROUPS.getOrDefault(u, Set.of()));
        assertTrue(effective.allows("read:users", Target.user("alice", Set.of("ds"))));
        assertFalse(effective.allows("read:users", Target.user("bob", Set.of())));
    }

    @Test
    void unknownScopesAndFiltersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Permissions.expand(List.of("read:everything"), "a", null));
        assertThrows(IllegalArgumentException.class, () -> Permissions.expand(List.of("read:users!planet=mars"), "a", null));
        assertThrows(IllegalArgumentException.class, () -> Permissions.expand(List.of("read:users!user="), "a", null));
    }

    @Test
    void aServerFilterNamesAUsersServer() {
        for (String malformed : List.of("read:users!server=x", "read:users!server=/x", "access:servers!server=")) {
            assertThrows(Scope.InvalidScopeException.class, () -> Permissions.expand(List.of(malformed), "a", null), malformed);
        }
        // Before it was refused, a server filter without a slash broke intersecting with the owner's scopes.
        Permissions owner = Permissions.expand(List.of("self"), "alice", null);
        Permissions token = Permissions.expand(List.of("access:servers!server=alice/"), "alice", null);
        assertTrue(token.intersect(owner, u -> Set.of()).allows("access:servers", Target.server("alice", "", Set.of())));
        // A bare !server needs the token's own server.
        assertThrows(Scope.InvalidScopeException.class, () -> Permissions.expand(List.of("access:servers!server"), "alice", null));
    }

    @Test
    void aServiceFilterReachesThatServiceOnly() {
        Permissions team = Permissions.expand(List.of("access:services!service=whoami", "read:services!group=ds"), "alice", null);
        assertTrue(team.allows("access:services", Target.service("whoami")));
        assertFalse(team.allows("access:services", Target.service("grafana")));
        // Users' and groups' filters never reach a service, as in JupyterHub.
        assertFalse(team.allows("read:services", Target.service("whoami")));
        assertFalse(Permissions.expand(List.of("self"), "alice", null).allows("access:services", Target.service("whoami")));
        // A login token of the service's client holds access only as far as its owner does.
        Permissions owner = Permissions.expand(List.of("self", "access:services"), "alice", null);
        Permissions login = Permissions.expand(List.of("access:services!service=whoami"), "alice", null);
        assertEquals(Set.of("access:services!service=whoami"), login.intersect(owner, u -> Set.of()).asStrings());
        assertEquals(Set.of(), login.intersect(Permissions.expand(List.of("self"), "alice", null), u -> Set.of()).asStrings());
    }

    @Test
    void aServiceOwnsABareServiceFilterAndNoUserScopes() {
        Permissions culler = Permissions.expandForService(
                List.of("self", "list:users", "read:services!service", "users:activity!user", "access:servers!server"), "culler");
        assertEquals(Set.of("list:users", "read:users:name", "read:services!service=culler", "read:services:name!service=culler"),
                culler.asStrings());
        assertThrows(Scope.InvalidScopeException.class, () -> Permissions.expand(List.of("read:services!service"), "alice", null));
        assertThrows(Scope.InvalidScopeException.class, () -> Permissions.expand(List.of("read:services!service="), "alice", null));
    }
}
