package io.ganymede.hub.scopes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.scopes.RoleCatalog.CustomRole;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleCatalogTest {

    private static final CustomRole WATCHERS = new CustomRole("watchers",
            List.of("read:users!group=ds", "read:servers!user"), Set.of("carl"), Set.of("auditors"));

    @Test
    void customRolesGoToListedUsersAndGroupMembers() {
        RoleCatalog catalog = new RoleCatalog(false, List.of(WATCHERS));
        assertEquals(List.of("user", "watchers"), catalog.rolesOf("carl", false, Set.of()));
        assertEquals(List.of("admin", "user", "watchers"), catalog.rolesOf("erin", true, Set.of("auditors")));
        assertEquals(List.of("user"), catalog.rolesOf("frank", false, Set.of("ds")));
        assertTrue(catalog.exists("watchers"));
        assertFalse(catalog.exists("nobody"));
    }

    @Test
    void aBareUserFilterMeansEachHolder() {
        Permissions carl = Permissions.expand(new RoleCatalog(false, List.of(WATCHERS)).scopes("watchers"), "carl", null);
        assertTrue(carl.allows("read:servers", Target.server("carl", "", Set.of())));
        assertFalse(carl.allows("read:servers", Target.server("dana", "", Set.of())));
        assertTrue(carl.allows("read:users", Target.user("dana", Set.of("ds"))));
    }

    @Test
    void adminsReachServersOnlyWithAdminAccess() {
        assertFalse(new RoleCatalog(false, List.of()).scopes(Roles.ADMIN).contains("access:servers"));
        assertTrue(new RoleCatalog(true, List.of()).scopes(Roles.ADMIN).contains("access:servers"));
        assertTrue(new RoleCatalog(false, List.of()).scopes(Roles.ADMIN).contains("admin:users"));
    }

    @Test
    void badRolesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RoleCatalog(false,
                List.of(new CustomRole("x", List.of("read:everything"), Set.of(), Set.of()))));
        assertThrows(IllegalArgumentException.class, () -> new RoleCatalog(false,
                List.of(new CustomRole("x", List.of("read:users!planet=mars"), Set.of(), Set.of()))));
        assertThrows(IllegalArgumentException.class, () -> new RoleCatalog(false,
                List.of(new CustomRole("admin", List.of("read:users"), Set.of(), Set.of()))));
        assertThrows(IllegalArgumentException.class, () -> new RoleCatalog(false, List.of(WATCHERS, WATCHERS)));
    }
}
