package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start and stop through the API with the local spawner running a stand-in server process. */
@QuarkusTest
class ServersApiTest {

    @Test
    void startReportProgressStopAndRestart() {
        String token = userWithToken("carla");
        as(token).body(Map.of("profile", "no-such-profile")).post("/hub/api/users/carla/server").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("no-such-profile"));
        as(token).body(Map.of("profile", "default")).post("/hub/api/users/carla/server").then().statusCode(201);
        as(token).post("/hub/api/users/carla/server").then().statusCode(400)
                .body("message", equalTo("carla's server is already running"));

        Map<String, Object> server = as(token).get("/hub/api/users/carla").then().statusCode(200)
                .body("server", equalTo("/user/carla/"))
                .body("pending", equalTo(null))
                .body("servers.''.ready", equalTo(true))
                .body("servers.''.user_options.profile", equalTo("default"))
                .body("servers.''.progress_url", equalTo("/hub/api/users/carla/server/progress"))
                .body("servers.''", not(hasKey("state")))
                .extract().path("servers.''");
        assertEquals("/user/carla/", server.get("url"));

        String events = as(token).header("Accept", "text/event-stream").get("/hub/api/users/carla/server/progress")
                .then().statusCode(200).extract().asString();
        assertTrue(events.contains("\"ready\":true"), events);

        admin().get("/hub/api/users/carla").then().body("servers.''.state.pid", notNullValue());
        admin().queryParam("state", "ready").get("/hub/api/users").then().body("name", org.hamcrest.Matchers.hasItem("carla"));

        as(token).delete("/hub/api/users/carla/server").then().statusCode(204);
        as(token).get("/hub/api/users/carla").then().body("server", equalTo(null)).body("servers", equalTo(Map.of()));
        as(token).delete("/hub/api/users/carla/server").then().statusCode(204);
        as(token).post("/hub/api/users/carla/server").then().statusCode(201);
        as(token).delete("/hub/api/users/carla/server").then().statusCode(204);
    }

    @Test
    void theServersOwnTokenReportsActivityAndNothingMore() throws Exception {
        String token = userWithToken("dora");
        as(token).post("/hub/api/users/dora/server").then().statusCode(201);
        String pid = admin().get("/hub/api/users/dora").then().extract().path("servers.''.state.pid");
        String serverToken = ProcessHandle.of(Long.parseLong(pid)).orElseThrow().info().command().isPresent()
                ? environmentOf(Long.parseLong(pid)).get("JUPYTERHUB_API_TOKEN") : null;
        assertTrue(serverToken != null && !serverToken.isEmpty());
        Map<String, String> env = environmentOf(Long.parseLong(pid));
        assertEquals("/user/dora/", env.get("JUPYTERHUB_SERVICE_PREFIX"));
        assertEquals("jupyterhub-user-dora", env.get("JUPYTERHUB_CLIENT_ID"));
        assertTrue(env.get("JUPYTERHUB_API_URL").endsWith("/hub/api"));
        assertTrue(env.get("JUPYTERHUB_ACTIVITY_URL").endsWith("/hub/api/users/dora/activity"));
        assertEquals("[\"access:servers!server=dora/\", \"access:servers!user=dora\"]", env.get("JUPYTERHUB_OAUTH_ACCESS_SCOPES"));
        // JupyterHub 5's public URLs: empty without a configured public URL; no __Host- cookies.
        assertEquals("", env.get("JUPYTERHUB_PUBLIC_URL"));
        assertEquals("", env.get("JUPYTERHUB_PUBLIC_HUB_URL"));
        assertEquals("0", env.get("JUPYTERHUB_COOKIE_HOST_PREFIX_ENABLED"));

        String soon = java.time.Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        as(serverToken).body(Map.of("last_activity", soon, "servers", Map.of("", Map.of("last_activity", soon))))
                .post("/hub/api/users/dora/activity").then().statusCode(200);
        admin().get("/hub/api/users/dora").then().body("servers.''.last_activity", equalTo(soon));
        as(serverToken).delete("/hub/api/users/dora/server").then().statusCode(403);
        as(serverToken).get("/hub/api/users").then().statusCode(403);
        admin().post("/hub/api/users/eve");
        as(serverToken).body(Map.of("last_activity", soon)).post("/hub/api/users/eve/activity").then().statusCode(404);

        as(token).delete("/hub/api/users/dora/server").then().statusCode(204);
        assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), "process gone");
        as(serverToken).get("/hub/api/user").then().statusCode(403);
    }

    @Test
    void namedServers() {
        String token = userWithToken("fiona");
        as(token).post("/hub/api/users/fiona/servers/gpu").then().statusCode(201);
        as(token).get("/hub/api/users/fiona").then()
                .body("servers.gpu.url", equalTo("/user/fiona/gpu/"))
                .body("servers.gpu.full_name", equalTo("fiona/gpu"));
        // JupyterHub 6.0 refuses new names outside its rule (older names: ServerDefinitionsApiTest).
        as(token).post("/hub/api/users/fiona/servers/{s}", "my gpü").then().statusCode(400)
                .body("message", startsWith("Invalid server_name: my gpü"));
        as(token).post("/hub/api/users/fiona/servers/{s}", "bad\u0001name").then().statusCode(400)
                .body("message", startsWith("Invalid server_name"));
        as(token).delete("/hub/api/users/fiona/servers/nope").then().statusCode(404);
        as(token).body(Map.of("remove", true)).delete("/hub/api/users/fiona/server").then().statusCode(400);
        as(token).body(Map.of("remove", true)).delete("/hub/api/users/fiona/servers/gpu").then().statusCode(204);
        as(token).delete("/hub/api/users/fiona/servers/gpu").then().statusCode(404);
    }

    @Test
    void aNameTooLongForTheServersCredentialsIsA400() {
        // A valid name of 112 characters, 630 in the OAuth client id (quote() escapes each é and the @).
        String name = "\u00e9".repeat(100) + "@example.com";
        admin().post("/hub/api/users/" + name).then().statusCode(201);
        admin().post("/hub/api/users/" + name + "/server").then().statusCode(400).body("status", equalTo(400))
                .body("message", equalTo("Cannot start a server for this user name: its OAuth client id would have 630 characters, at most 255"));
        admin().get("/hub/api/users/" + name).then().statusCode(200).body("server", org.hamcrest.Matchers.nullValue())
                .body("pending", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void startingForSomeoneElseNeedsTheScope() {
        String token = userWithToken("gina");
        admin().post("/hub/api/users/hank");
        as(token).post("/hub/api/users/hank/server").then().statusCode(404);
        admin().post("/hub/api/users/no-such-user-xyz/server").then().statusCode(404);
        Response bad = as(token).body("{\"profile\": ").post("/hub/api/users/gina/server");
        assertEquals(400, bad.statusCode());
    }

    /** The environment a process was started with, as Linux shows it. */
    static Map<String, String> environmentOf(long pid) throws Exception {
        byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + pid + "/environ"));
        Map<String, String> env = new java.util.HashMap<>();
        for (String entry : new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }
}
