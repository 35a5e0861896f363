package io.ganymede.proxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static ObjectNode to(String target) {
        return JsonNodeFactory.instance.objectNode().put("target", target);
    }

    private static String matched(RouteTable table, String path) {
        Route route = table.match(path);
        return route == null ? null : route.path();
    }

    @Test
    void longestPrefixWinsSegmentBySegment() {
        RouteTable table = new RouteTable();
        table.add("/", to("http://127.0.0.1:1"));
        table.add("/user/alice", to("http://127.0.0.1:2"));
        table.add("/user/alice/rstudio", to("http://127.0.0.1:3"));
        assertEquals("/user/alice", matched(table, "/user/alice/tree/x.ipynb"));
        assertEquals("/user/alice/rstudio", matched(table, "/user/alice/rstudio/p/1"));
        assertEquals("/user/alice", matched(table, "/user/alice/rstudiox"));
        assertEquals("/", matched(table, "/user/alicex"));
        assertEquals("/", matched(table, "/user"));
        assertEquals("/", matched(table, "/"));
    }

    @Test
    void trailingSlashesDoNotMatterOnEitherSide() {
        RouteTable table = new RouteTable();
        table.add("/user/bob/", to("http://127.0.0.1:2"));
        assertEquals("/user/bob", table.get("/user/bob").path());
        assertEquals("/user/bob", table.get("user/bob/").path());
        assertEquals("/user/bob", matched(table, "/user/bob"));
        assertEquals("/user/bob", matched(table, "/user/bob/"));
        assertEquals("/user/bob", matched(table, "//user/bob//"));
        assertNull(matched(table, "/user"));
    }

    @Test
    void withoutRootRouteUnknownPathsMatchNothing() {
        RouteTable table = new RouteTable();
        table.add("/a/b", to("http://127.0.0.1:2"));
        assertNull(table.match("/a"));
        assertNull(table.match("/c/a/b"));
    }

    @Test
    void removingAChildKeepsTheParentAndPrunesEmptyBranches() {
        RouteTable table = new RouteTable();
        table.add("/user/a", to("http://127.0.0.1:2"));
        table.add("/user/a/b/c", to("http://127.0.0.1:3"));
        assertEquals("/user/a/b/c", table.remove("/user/a/b/c/").path());
        assertEquals("/user/a", matched(table, "/user/a/b/c/d"));
        assertNull(table.remove("/user/a/b/c"));
        assertEquals("/user/a", table.remove("/user/a").path());
        assertNull(table.match("/user/a"));
        assertEquals(0, table.size());
    }

    @Test
    void replacingARouteResetsItsData() {
        RouteTable table = new RouteTable();
        table.add("/x", to("http://127.0.0.1:2").put("user", "a"));
        table.add("/x", to("http://127.0.0.1:3"));
        assertEquals(1, table.size());
        assertEquals(3, table.match("/x/y").target().port());
        assertFalse(table.get("/x").toJson().has("user"));
    }

    @Test
    void dataIsKeptAsGivenWithLastActivityAdded() {
        RouteTable table = new RouteTable();
        Route route = table.add("/u", to("http://127.0.0.1:2").put("jupyterhub", true).put("user", "u")
                .put("last_activity", "1999-01-01T00:00:00.000Z"));
        ObjectNode json = route.toJson();
        assertEquals("http://127.0.0.1:2", json.get("target").asText());
        assertTrue(json.get("jupyterhub").asBoolean());
        assertEquals("u", json.get("user").asText());
        assertTrue(json.get("last_activity").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertFalse(json.get("last_activity").asText().startsWith("1999"));
    }

    @Test
    void invalidTargetsAndPathsAreRefused() {
        RouteTable table = new RouteTable();
        assertThrows(IllegalArgumentException.class, () -> table.add("/a", JsonNodeFactory.instance.objectNode()));
        assertThrows(IllegalArgumentException.class, () -> table.add("/a", to("not a url")));
        assertThrows(IllegalArgumentException.class, () -> table.add("/a", to("ftp://127.0.0.1/")));
        assertThrows(IllegalArgumentException.class, () -> table.add("/a", to("http:///nohost")));
        assertThrows(IllegalArgumentException.class, () -> table.add("/a/../b", to("http://127.0.0.1:2")));
        assertEquals(0, table.size());
    }

    @Test
    void lookupCostDoesNotGrowWithTheNumberOfRoutes() {
        RouteTable table = new RouteTable();
        for (int i = 0; i < 50_000; i++) {
            table.add("/user/u" + i, to("http://127.0.0.1:" + (1 + i % 60000)));
        }
        assertEquals("/user/u49999", matched(table, "/user/u49999/api/kernels"));
        assertNull(table.match("/user/u50000"));
    }

    @Test
    void touchRecordsActivityAtCoarseResolution() throws InterruptedException {
        RouteTable table = new RouteTable();
        Route route = table.add("/a", to("http://127.0.0.1:2"));
        long before = route.lastActivityMillis();
        Thread.sleep(Route.ACTIVITY_RESOLUTION_MILLIS + 20);
        route.touch();
        assertTrue(route.lastActivityMillis() > before);
    }

    @Test
    void pathHelpers() {
        assertEquals("/", RoutePath.clean(""));
        assertEquals("/a/b", RoutePath.clean("a/b///"));
        assertEquals("/user/é x+y", RoutePath.decode("/user/%C3%A9%20x+y"));
        assertEquals("/bad%zz%", RoutePath.decode("/bad%zz%"));
        assertEquals("/x/y?", RoutePath.afterSegments("/u/a/x/y?", 2));
        assertEquals("/", RoutePath.afterSegments("/u/a", 2));
        assertEquals("/", RoutePath.afterSegments("/u/a/", 2));
        assertEquals("/u/a", RoutePath.afterSegments("/u/a", 0));
        assertFalse(RoutePath.isAbsolute("/a/./b"));
        assertTrue(RoutePath.isAbsolute("/a/.b"));
    }
}
