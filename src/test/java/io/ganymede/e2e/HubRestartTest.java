package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hub restart loses nothing: users, groups, tokens (the same secret still works), activity (still
 * pending when the hub is stopped) and a running server, which the new hub adopts (its route is
 * restored) and can then stop.
 */
class HubRestartTest {

    private static final String RITA = Names.OBRIEN;
    private static final String RITA_PATH = Names.path(RITA);
    private static final String SAM = Names.ALICE;

    private static final String ADMIN = "restart-test-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everythingSurvivesARestart() throws Exception {
        Map<String, String> env = Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                // Servers stay up across the restart, to be adopted.
                "GANYMEDE_SPAWNER_CLEANUP_ON_SHUTDOWN", "false",
                // Activity reaches the database only through the flush at shutdown.
                "GANYMEDE_ACTIVITY_FLUSH_INTERVAL", "1h",
                "GANYMEDE_SPAWNER_LOCAL_CMD", "python3," + HubProcess.ROOT.resolve("hub/src/test/resources/fake-server.py"));
        String userToken;
        long pid;
        HubProcess first = new HubProcess(env);
        try (first) {
            first.awaitUp(first.hubUrl("/hub/api/"), Duration.ofSeconds(60));
            assertEquals(201, call(first, "POST", "/hub/api/users", ADMIN,
                    "{\"usernames\": [\"" + RITA + "\", \"" + SAM + "\"]}").statusCode());
            assertEquals(201, call(first, "POST", "/hub/api/groups/crew", ADMIN, "{\"users\": [\"" + RITA + "\"]}").statusCode());
            HttpResponse<String> token = call(first, "POST", "/hub/api/users/" + RITA_PATH + "/tokens", ADMIN,
                    "{\"note\": \"kept\", \"scopes\": [\"read:users!user=" + RITA + "\", \"servers!user=" + RITA + "\"]}");
            assertEquals(201, token.statusCode(), token.body());
            userToken = JSON.readTree(token.body()).get("token").asText();
            assertEquals(200, call(first, "POST", "/hub/api/users/" + Names.path(SAM) + "/activity", ADMIN,
                    "{\"last_activity\": \"2025-01-02T03:04:05.678Z\"}").statusCode());
            HttpResponse<String> start = call(first, "POST", "/hub/api/users/" + RITA_PATH + "/server", userToken, "{}");
            assertEquals(201, start.statusCode(), start.body() + first.logText());
            pid = Long.parseLong(json(call(first, "GET", "/hub/api/users/" + RITA_PATH, ADMIN, null)).at("/servers//state/pid").asText());
        }
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server outlives the hub");

        try (HubProcess second = new HubProcess(first, env)) {
            second.awaitUp(second.hubUrl("/hub/api/"), Duration.ofSeconds(60));
            JsonNode rita = json(call(second, "GET", "/hub/api/users/" + RITA_PATH, userToken, null));
            assertEquals(RITA, rita.get("name").asText());
            assertEquals("crew", rita.get("groups").get(0).asText());
            assertEquals(Names.prefix(RITA, ""), rita.get("server").asText(), rita.toString());
            assertTrue(rita.at("/servers//ready").asBoolean(), rita.toString());
            JsonNode sam = json(call(second, "GET", "/hub/api/users/" + Names.path(SAM), ADMIN, null));
            assertEquals("2025-01-02T03:04:05.678Z", sam.get("last_activity").asText());
            JsonNode tokens = json(call(second, "GET", "/hub/api/users/" + RITA_PATH + "/tokens", ADMIN, null));
            assertEquals("kept", tokens.get("api_tokens").get(0).get("note").asText());

            // The adopted server's route is back in the proxy, and it answers through it.
            awaitRoute(second, "/user/" + RITA_PATH);
            HttpResponse<String> through = http.send(HttpRequest.newBuilder(URI.create(second.publicUrl(Names.prefix(RITA, "") + "api"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, through.statusCode(), through.body());

            assertEquals(204, call(second, "DELETE", "/hub/api/users/" + RITA_PATH + "/server", userToken, null).statusCode());
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped after adoption");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private void awaitRoute(HubProcess hub, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (json(call(hub, "GET", "/hub/api/proxy", ADMIN, null)).has(path)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("route " + path + " not restored:\n" + hub.logText());
    }

    private HttpResponse<String> call(HubProcess hub, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.hubUrl(path)))
                .header("Authorization", "token " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
