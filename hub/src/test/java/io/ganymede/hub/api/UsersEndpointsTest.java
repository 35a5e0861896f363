package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user endpoints' behaviour and error codes beyond {@link UsersApiTest}, compared with
 * JupyterHub 5's {@code apihandlers/users.py}. Names carry a per-test prefix, filtered with
 * {@code name_filter}, because every test class of this profile shares one database.
 */
@QuarkusTest
class UsersEndpointsTest {

    @Test
    void stateFiltersSplitUsersByTheirServers() {
        String token = userWithToken("st-ready");
        admin().post("/hub/api/users/st-idle").then().statusCode(201);
        startServer(token, "st-ready", "");
        try {
            admin().queryParam("name_filter", "st-").queryParam("state", "ready").get("/hub/api/users").then()
                    .statusCode(200).body("name", contains("st-ready"))
                    .body("[0].servers.''.ready", equalTo(true));
            admin().queryParam("name_filter", "st-").queryParam("state", "active").get("/hub/api/users").then()
                    .statusCode(200).body("name", contains("st-ready"));
            admin().queryParam("name_filter", "st-").queryParam("state", "inactive").get("/hub/api/users").then()
                    .statusCode(200).body("name", contains("st-idle"))
                    .body("[0].servers", equalTo(Map.of()));
            admin().queryParam("name_filter", "st-").get("/hub/api/users").then()
                    .statusCode(200).body("name", contains("st-ready", "st-idle"));
            admin().queryParam("state", "running").get("/hub/api/users").then().statusCode(400)
                    .body("message", containsString("Unrecognized state filter"));
        } finally {
            as(token).delete("/hub/api/users/st-ready/server").then().statusCode(204);
        }
        admin().queryParam("name_filter", "st-").queryParam("state", "ready").get("/hub/api/users").then()
                .statusCode(200).body("$", empty());
    }

    @Test
    void paginationAsJupyterHub() {
        admin().body(Map.of("usernames", List.of("pgn-a", "pgn-b", "pgn-c"))).post("/hub/api/users").then().statusCode(201);
        admin().header("Accept", Pages.MEDIA_TYPE).queryParam("name_filter", "pgn-").get("/hub/api/users").then()
                .statusCode(200).contentType(Pages.MEDIA_TYPE)
                .body("items.name", contains("pgn-a", "pgn-b", "pgn-c"))
                .body("_pagination.offset", equalTo(0))
                .body("_pagination.limit", equalTo(100))
                .body("_pagination.total", equalTo(3))
                .body("_pagination.next", nullValue());
        admin().header("Accept", Pages.MEDIA_TYPE).queryParam("name_filter", "pgn-").queryParam("limit", 1)
                .get("/hub/api/users").then().statusCode(200)
                .body("items.name", contains("pgn-a"))
                .body("_pagination.next.offset", equalTo(1))
                .body("_pagination.next.limit", equalTo(1))
                .body("_pagination.next.url", containsString("name_filter=pgn-"))
                .body("_pagination.next.url", containsString("offset=1"));
        // JupyterHub drops signs and keeps the limit within 1..200.
        admin().queryParam("name_filter", "pgn-").queryParam("offset", -2).queryParam("limit", 0).get("/hub/api/users")
                .then().statusCode(200).body("name", contains("pgn-c"));
        admin().header("Accept", Pages.MEDIA_TYPE).queryParam("limit", 5000).get("/hub/api/users").then()
                .statusCode(200).body("_pagination.limit", equalTo(200));
        admin().queryParam("name_filter", "pgn-").queryParam("offset", 10).get("/hub/api/users").then()
                .statusCode(200).body("$", empty());
        for (String bad : List.of("abc", "1.5", "1e3")) {
            admin().queryParam("offset", bad).get("/hub/api/users").then().statusCode(400)
                    .body("message", equalTo("Invalid argument type, offset and limit must be integers"));
            admin().queryParam("limit", bad).get("/hub/api/groups").then().statusCode(400);
        }
    }

    @Test
    void bulkCreationAsJupyterHub() {
        admin().body(Map.of("usernames", List.of("bulk-a", "Bulk-A", "bulk-b"), "admin", true)).post("/hub/api/users")
                .then().statusCode(201).body("name", contains("bulk-a", "bulk-b")).body("admin", contains(true, true));
        // Some exist already: only the new ones are created and returned.
        admin().body(Map.of("usernames", List.of("bulk-a", "bulk-c"))).post("/hub/api/users")
                .then().statusCode(201).body("name", contains("bulk-c")).body("[0].admin", equalTo(false));
        admin().body(Map.of("usernames", List.of("bulk-d", "x/y"))).post("/hub/api/users").then().statusCode(400)
                .body("message", containsString("x/y"));
        admin().get("/hub/api/users/bulk-d").then().statusCode(404);
        admin().body(Map.of("usernames", "bulk-e")).post("/hub/api/users").then().statusCode(400);
        admin().body(Map.of("usernames", List.of(1, 2))).post("/hub/api/users").then().statusCode(400);
        admin().body(Map.of("usernames", List.of("bulk-f"), "admin", "yes")).post("/hub/api/users").then().statusCode(400);
        admin().body("").post("/hub/api/users").then().statusCode(400)
                .body("message", equalTo("Must specify at least one user to create"));
        admin().body("null").post("/hub/api/users").then().statusCode(400);
        admin().body("\"text\"").post("/hub/api/users").then().statusCode(400);
    }

    @Test
    void singleCreation() {
        admin().body(Map.of("admin", true)).post("/hub/api/users/one-admin").then().statusCode(201)
                .body("name", equalTo("one-admin")).body("admin", equalTo(true)).body("kind", equalTo("user"));
        admin().post("/hub/api/users/One-Plain").then().statusCode(201).body("name", equalTo("one-plain"));
        admin().body(Map.of("admin", "no")).post("/hub/api/users/one-bad").then().statusCode(400);
        admin().get("/hub/api/users/one-bad").then().statusCode(404);
        admin().body("[]").post("/hub/api/users/one-bad").then().statusCode(400);
        admin().body("{").post("/hub/api/users/one-bad").then().statusCode(400).body("status", equalTo(400));
        admin().urlEncodingEnabled(false).post("/hub/api/users/bad%09name").then().statusCode(400).body("message", startsWith("Invalid username"));
        admin().post("/hub/api/users/" + "u".repeat(256)).then().statusCode(400)
                .body("message", equalTo("username is too long: 256 characters, at most 255"));
        admin().body(Map.of("usernames", List.of("fits@example.com", "u".repeat(300)))).post("/hub/api/users").then().statusCode(400)
                .body("message", equalTo("username is too long: 300 characters, at most 255"));
        admin().get("/hub/api/users/fits@example.com").then().statusCode(404);
    }

    @Test
    void patchRenamesAndSetsAdmin() {
        admin().post("/hub/api/users/patch-me").then().statusCode(201);
        admin().body(Map.of("admin", true, "name", "Patched")).patch("/hub/api/users/patch-me").then().statusCode(200)
                .body("name", equalTo("patched")).body("admin", equalTo(true));
        admin().get("/hub/api/users/patched").then().statusCode(200).body("admin", equalTo(true));
        admin().body(Map.of("name", "patched")).patch("/hub/api/users/patched").then().statusCode(200);
        admin().body(Map.of("name", 5)).patch("/hub/api/users/patched").then().statusCode(400);
        admin().body(Map.of("name", "")).patch("/hub/api/users/patched").then().statusCode(400);
        admin().body(Map.of("name", "a/b")).patch("/hub/api/users/patched").then().statusCode(400);
        admin().body(Map.of("nmae", "typo")).patch("/hub/api/users/patched").then().statusCode(400)
                .body("message", containsString("Invalid JSON keys"));
        admin().body("[1]").patch("/hub/api/users/patched").then().statusCode(400);
        admin().body(Map.of("admin", false)).patch("/hub/api/users/nobody-patch").then().statusCode(404)
                .body("message", equalTo("No such user: nobody-patch"));
        admin().body(Map.of("admin", false)).patch("/hub/api/users/patched").then().statusCode(200).body("admin", equalTo(false));
    }

    @Test
    void renamingARunningUserIsRefused() {
        String token = userWithToken("rename-running");
        startServer(token, "rename-running", "");
        try {
            admin().body(Map.of("name", "renamed-running")).patch("/hub/api/users/rename-running").then().statusCode(400)
                    .body("message", containsString("while a server runs"));
        } finally {
            as(token).delete("/hub/api/users/rename-running/server").then().statusCode(204);
        }
    }

    @Test
    void deletingAUserStopsTheirServers() throws Exception {
        String token = userWithToken("del-running");
        startServer(token, "del-running", "");
        startServer(token, "del-running", "second");
        String pid = admin().get("/hub/api/users/del-running").then().extract().path("servers.''.state.pid");
        String pid2 = admin().get("/hub/api/users/del-running").then().extract().path("servers.second.state.pid");
        admin().delete("/hub/api/users/del-running").then().statusCode(204);
        admin().get("/hub/api/users/del-running").then().statusCode(404);
        assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(ProcessHandle.of(Long.parseLong(pid2)).map(ProcessHandle::isAlive).orElse(false));
        as(token).get("/hub/api/user").then().statusCode(403);
        admin().get("/hub/api/proxy").then().statusCode(200).body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("/user/del-running/")));
    }

    @Test
    void unknownUsersAre404ForAdmins() {
        String nobody = "/hub/api/users/no-such-person";
        admin().get(nobody).then().statusCode(404).body("message", equalTo("No such user: no-such-person"));
        admin().delete(nobody).then().statusCode(404);
        admin().post(nobody + "/server").then().statusCode(404);
        admin().delete(nobody + "/server").then().statusCode(404);
        admin().post(nobody + "/servers/x").then().statusCode(404);
        admin().delete(nobody + "/servers/x").then().statusCode(404);
        admin().get(nobody + "/server/progress").then().statusCode(404);
        admin().get(nobody + "/tokens").then().statusCode(404);
        admin().get(nobody + "/tokens/a1").then().statusCode(404);
        admin().body(Map.of("last_activity", "2030-01-01T00:00:00Z")).post(nobody + "/activity").then().statusCode(404);
    }

    @Test
    void aUserCannotDeleteThemselves() {
        String token = userWithToken("self-deleter", true, Map.of());
        as(token).delete("/hub/api/users/self-deleter").then().statusCode(400).body("message", equalTo("Cannot delete yourself!"));
        admin().get("/hub/api/users/self-deleter").then().statusCode(200);
    }

    @Test
    void activityReports() {
        String token = userWithToken("act-user");
        startServer(token, "act-user", "lab");
        // Times after the server's start (its first activity) and within JupyterHub's hour ahead.
        Instant base = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        String t1 = base.plusMillis(123).toString();
        try {
            admin().body(Map.of("servers", Map.of("lab", Map.of("last_activity", t1))))
                    .post("/hub/api/users/act-user/activity").then().statusCode(200);
            admin().get("/hub/api/users/act-user").then()
                    .body("last_activity", equalTo(t1))
                    .body("servers.lab.last_activity", equalTo(t1));
            // Older times are ignored; a time without a zone is UTC; an offset is converted.
            admin().body(Map.of("last_activity", "2025-01-01T00:00:00",
                    "servers", Map.of("lab", Map.of("last_activity", zoned(base.minusSeconds(1))))))
                    .post("/hub/api/users/act-user/activity").then().statusCode(200);
            admin().get("/hub/api/users/act-user").then()
                    .body("last_activity", equalTo(t1))
                    .body("servers.lab.last_activity", equalTo(t1));
            String naive = base.plusSeconds(2).toString().replace("Z", "");
            admin().body(Map.of("last_activity", naive,
                    "servers", Map.of("lab", Map.of("last_activity", zoned(base.plusSeconds(1))))))
                    .post("/hub/api/users/act-user/activity").then().statusCode(200);
            admin().get("/hub/api/users/act-user").then()
                    .body("last_activity", equalTo(base.plusSeconds(2).toString()))
                    .body("servers.lab.last_activity", equalTo(base.plusSeconds(1).toString()));
            // Nothing is written when any part is wrong.
            admin().body(Map.of("last_activity", base.plusSeconds(30).toString(),
                    "servers", Map.of("nope", Map.of("last_activity", base.plusSeconds(30).toString()))))
                    .post("/hub/api/users/act-user/activity").then().statusCode(400);
            admin().get("/hub/api/users/act-user").then().body("last_activity", equalTo(base.plusSeconds(2).toString()));
            // More than an hour ahead is a broken clock (JupyterHub's rule).
            admin().body(Map.of("last_activity", Instant.now().plusSeconds(7200).toString()))
                    .post("/hub/api/users/act-user/activity").then().statusCode(400)
                    .body("message", startsWith("Rejecting activity from more than an hour in the future"));
            for (Object bad : List.<Object>of(Map.of(), Map.of("last_activity", 5), Map.of("last_activity", "soon"),
                    Map.of("servers", List.of("lab")), Map.of("servers", Map.of("lab", "2025-01-01T00:00:00Z")),
                    Map.of("servers", Map.of("lab", Map.of())))) {
                admin().body(bad).post("/hub/api/users/act-user/activity").then().statusCode(400).body("status", equalTo(400));
            }
            admin().body("not json").post("/hub/api/users/act-user/activity").then().statusCode(400);
        } finally {
            as(token).delete("/hub/api/users/act-user/servers/lab").then().statusCode(204);
        }
    }

    /** The instant at UTC+02:00, e.g. 2026-12-01T23:00:00+02:00. */
    private static String zoned(Instant instant) {
        return instant.atOffset(java.time.ZoneOffset.ofHours(2)).toString();
    }
}
