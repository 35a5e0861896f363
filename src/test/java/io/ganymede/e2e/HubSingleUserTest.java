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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hub in its embedded default runs Debian's real {@code jupyterhub-singleuser}: a server
 * started through the REST API, a browser-like OAuth login through the proxy, a kernel computing
 * over its WebSocket, the server's activity reaching the hub, and a clean stop.
 */
class HubSingleUserTest {

    private static final String ADMIN = "e2e-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient api = HttpClient.newHttpClient();

    @Test
    void aRealSingleUserServerUnderTheHub() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/jupyterhub-singleuser")),
                "apt-get install -y jupyterhub python3-notebook python3-ipykernel");
        try (HubProcess hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                // Report activity every 2 s instead of 5 min, so the test sees the server's own report.
                "JUPYTERHUB_ACTIVITY_INTERVAL", "2",
                "GANYMEDE_SPAWNER_LOCAL_ENV_KEEP", "PATH,LANG,JUPYTERHUB_ACTIVITY_INTERVAL"))) {
            hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(30));
            assertEquals(201, call(hub, "POST", "/users/alice", null).statusCode());
            assertEquals(201, call(hub, "POST", "/users/bob", null).statusCode());

            int started = call(hub, "POST", "/users/alice/server", "{}").statusCode();
            assertTrue(started == 201 || started == 202, "start answered " + started);
            String progress = call(hub, "GET", "/users/alice/server/progress", null).body();
            assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText());
            JsonNode server = JSON.readTree(call(hub, "GET", "/users/alice", null).body()).path("servers").path("");
            assertTrue(server.path("ready").asBoolean(), server.toString());
            long pid = server.path("state").path("pid").asLong();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            // Alice signs in through the proxy: server -> hub OAuth -> login -> back to her server.
            Browser alice = new Browser();
            HttpResponse<String> login = alice.open(hub.publicUrl("/user/alice/tree"));
            assertEquals("/hub/login", login.uri().getPath(), login.uri().toString());
            HttpResponse<String> tree = alice.signIn(login, "alice");
            assertEquals(200, tree.statusCode(), tree.uri() + " " + tree.body());
            assertEquals("/user/alice/tree", tree.uri().getPath());
            HttpResponse<String> status = alice.open(hub.publicUrl("/user/alice/api/status"));
            assertEquals(200, status.statusCode(), status.body());
            assertTrue(JSON.readTree(status.body()).has("kernels"), status.body());

            // Bob is signed in to the hub but is not let into Alice's server.
            Browser bob = new Browser();
            HttpResponse<String> denied = bob.signIn(bob.open(hub.publicUrl("/user/alice/tree")), "bob");
            assertEquals(403, denied.statusCode(), denied.uri() + " " + denied.body());

            Instant beforeKernel = Instant.now();
            String token = JSON.readTree(call(hub, "POST", "/users/alice/tokens", "{\"note\": \"e2e\"}").body()).get("token").asText();
            Kernels.assertOnePlusOne(alice.http, hub.publicUrl("/user/alice/"), "alice", token);

            // The server's own activity report (every 2 s here) carries the kernel's use to the hub.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Instant reported = Instant.EPOCH;
            while (System.nanoTime() < deadline && reported.isBefore(beforeKernel)) {
                String last = JSON.readTree(call(hub, "GET", "/users/alice", null).body())
                        .path("servers").path("").path("last_activity").asText();
                reported = Instant.parse(last);
                Thread.sleep(500);
            }
            assertFalse(reported.isBefore(beforeKernel), "no activity report after " + beforeKernel + ": " + reported);

            int stopped = call(hub, "DELETE", "/users/alice/server", null).statusCode();
            assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
            long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                assertTrue(System.nanoTime() < gone, "single-user process " + pid + " still alive");
                Thread.sleep(200);
            }
            assertEquals(503, alice.open(hub.publicUrl("/user/alice/api/status")).statusCode());
        }
    }

    private HttpResponse<String> call(HubProcess hub, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + ADMIN).timeout(Duration.ofSeconds(60));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
