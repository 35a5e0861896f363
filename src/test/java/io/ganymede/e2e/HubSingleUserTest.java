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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hub in its embedded default runs the real {@code jupyterhub-singleuser} of each JupyterHub
 * release users run (Debian's 3.0 with the classic notebook; 5.5 and 6.1 with JupyterLab 4.6 on
 * jupyter-server, 6.1 sending PKCE in its OAuth step): a server started through the REST API, a
 * browser-like OAuth login through the proxy, a kernel computing over its WebSocket, the server's
 * activity reaching the hub, and a clean stop. Users are named by e-mail as IAP and OIDC name them,
 * one with characters that need escaping, and one of them has a named server whose name needs
 * escaping too.
 */
class HubSingleUserTest {

    private static final String ADMIN = "e2e-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient api = HttpClient.newHttpClient();

    @ParameterizedTest(name = "JupyterHub {0}")
    @EnumSource(Peers.JupyterHub.class)
    void aRealSingleUserServerUnderTheHub(Peers.JupyterHub jupyterhub) throws Exception {
        String singleUser = jupyterhub.require().singleUser().toString();
        String page = jupyterhub.landingPage();
        try (HubProcess hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_SPAWNER_LOCAL_CMD", singleUser,
                // Report activity every 2 s instead of 5 min, so the test sees the server's own report.
                "JUPYTERHUB_ACTIVITY_INTERVAL", "2",
                "GANYMEDE_SPAWNER_LOCAL_ENV_KEEP", "PATH,LANG,JUPYTERHUB_ACTIVITY_INTERVAL"))) {
            hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(30));
            String alice = Names.path(Names.ALICE);
            String obrien = Names.path(Names.OBRIEN);
            String aliceServer = Names.prefix(Names.ALICE, "");
            assertEquals(201, call(hub, "POST", "/users/" + alice, null).statusCode());
            assertEquals(201, call(hub, "POST", "/users/" + obrien, null).statusCode());

            int started = call(hub, "POST", "/users/" + alice + "/server", "{}").statusCode();
            assertTrue(started == 201 || started == 202, "start answered " + started);
            String progress = call(hub, "GET", "/users/" + alice + "/server/progress", null).body();
            assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText());
            JsonNode server = JSON.readTree(call(hub, "GET", "/users/" + alice, null).body()).path("servers").path("");
            assertTrue(server.path("ready").asBoolean(), server.toString());
            assertEquals(aliceServer, server.path("url").asText());
            // The release asked for is the one that runs (its start line differs across releases).
            String serverStart = serverLog(hub, Names.ALICE, "");
            assertTrue(serverStart.matches("(?s).*single-user server (extension )?version " + jupyterhub.toString().replace(".", "\\.") + "\\..*"),
                    serverStart);
            long pid = server.path("state").path("pid").asLong();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            // Alice signs in through the proxy: server -> hub OAuth -> login -> back to her server.
            // The server names its OAuth cookies after its client id, which must carry no '@'.
            Browser aliceBrowser = new Browser();
            HttpResponse<String> login = aliceBrowser.open(hub.publicUrl(aliceServer + page));
            assertEquals("/hub/login", login.uri().getPath(), login.uri().toString());
            // JupyterHub 6's server asks with PKCE, which the hub then checks at the code's exchange.
            String authorize = java.net.URLDecoder.decode(login.uri().getRawQuery(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(jupyterhub == Peers.JupyterHub.V6_1, authorize.contains("code_challenge_method=S256"), authorize);
            HttpResponse<String> tree = aliceBrowser.signIn(login, Names.ALICE);
            assertEquals(200, tree.statusCode(), tree.uri() + " " + tree.body() + "\n" + serverLog(hub, Names.ALICE, ""));
            assertEquals(aliceServer + page, tree.uri().getRawPath());
            HttpResponse<String> status = aliceBrowser.open(hub.publicUrl(aliceServer + "api/status"));
            assertEquals(200, status.statusCode(), status.body());
            assertTrue(JSON.readTree(status.body()).has("kernels"), status.body());

            // O'Brien is signed in to the hub but is not let into Alice's server.
            Browser obrienBrowser = new Browser();
            HttpResponse<String> denied = obrienBrowser.signIn(obrienBrowser.open(hub.publicUrl(aliceServer + page)), Names.OBRIEN);
            assertEquals(403, denied.statusCode(), denied.uri() + " " + denied.body());

            // O'Brien's own named server, both names escaped in its URL, through the same OAuth step.
            String named = Names.prefix(Names.OBRIEN, Names.SERVER);
            String namedApi = "/users/" + obrien + "/servers/" + Names.path(Names.SERVER);
            int namedStart = call(hub, "POST", namedApi, "{}").statusCode();
            assertTrue(namedStart == 201 || namedStart == 202, "named start answered " + namedStart);
            String namedProgress = call(hub, "GET", namedApi + "/progress", null).body();
            assertTrue(namedProgress.contains("\"ready\":true"), namedProgress + "\n" + hub.logText());
            assertEquals(named, JSON.readTree(call(hub, "GET", "/users/" + obrien, null).body())
                    .path("servers").path(Names.SERVER).path("url").asText());
            HttpResponse<String> namedTree = obrienBrowser.open(hub.publicUrl(named + page));
            assertEquals(200, namedTree.statusCode(), namedTree.uri() + " " + namedTree.body() + "\n"
                    + serverLog(hub, Names.OBRIEN, Names.SERVER));
            assertEquals(named + page, namedTree.uri().getRawPath());
            assertEquals(403, aliceBrowser.open(hub.publicUrl(named + page)).statusCode());
            int namedStop = call(hub, "DELETE", namedApi, null).statusCode();
            assertTrue(namedStop == 204 || namedStop == 202, "named stop answered " + namedStop);

            Instant beforeKernel = Instant.now();
            String token = JSON.readTree(call(hub, "POST", "/users/" + alice + "/tokens", "{\"note\": \"e2e\"}").body()).get("token").asText();
            Kernels.assertOnePlusOne(aliceBrowser.http, hub.publicUrl(aliceServer), Names.ALICE, token);

            // The server's own activity report (every 2 s here) carries the kernel's use to the hub.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Instant reported = Instant.EPOCH;
            while (System.nanoTime() < deadline && reported.isBefore(beforeKernel)) {
                String last = JSON.readTree(call(hub, "GET", "/users/" + alice, null).body())
                        .path("servers").path("").path("last_activity").asText();
                reported = Instant.parse(last);
                Thread.sleep(500);
            }
            assertFalse(reported.isBefore(beforeKernel), "no activity report after " + beforeKernel + ": " + reported);

            int stopped = call(hub, "DELETE", "/users/" + alice + "/server", null).statusCode();
            assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
            long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                assertTrue(System.nanoTime() < gone, "single-user process " + pid + " still alive");
                Thread.sleep(200);
            }
            // Gone: the browser is led to the hub's page that offers to start it again.
            HttpResponse<String> notRunning = aliceBrowser.open(hub.publicUrl(aliceServer + "api/status"));
            assertEquals(503, notRunning.statusCode());
            assertEquals("/hub" + aliceServer + "api/status", notRunning.uri().getRawPath());
        }
    }

    /** The single-user server's own log, which the local spawner keeps in the server's folder. */
    private String serverLog(HubProcess hub, String user, String server) throws Exception {
        JsonNode model = JSON.readTree(call(hub, "GET", "/users/" + Names.path(user), null).body()).path("servers").path(server);
        String log = model.path("state").path("log").asText("");
        return log.isEmpty() || !Files.exists(Path.of(log)) ? "(no server log)" : Files.readString(Path.of(log));
    }

    private HttpResponse<String> call(HubProcess hub, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + ADMIN).timeout(Duration.ofSeconds(60));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
