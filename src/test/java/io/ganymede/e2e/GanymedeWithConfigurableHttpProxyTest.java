package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hub with configurable-http-proxy 5.3.0 (what z2jh 4.4 runs) as its proxy, in place of its
 * own: the hub adds its own route and each server's through CHP's REST API, as JupyterHub does, and
 * users reach their servers through CHP, names escaped in the paths, with JupyterHub 5.5's
 * single-user server (OAuth login, a kernel over its WebSocket).
 */
class GanymedeWithConfigurableHttpProxyTest {

    private static final String ADMIN = "e2e-admin-token";
    private static final String PROXY_TOKEN = "e2e-proxy-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    // Not the JDK's default h2c upgrade, which configurable-http-proxy takes for a WebSocket.
    private final HttpClient api = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theHubDrivesConfigurableHttpProxy() throws Exception {
        Peers.JupyterHub release = Peers.JupyterHub.V5_5.require();
        int publicPort = HubProcess.freePort();
        int apiPort = HubProcess.freePort();
        int hubPort = HubProcess.freePort();
        Path proxyLog = Files.createTempFile("chp", ".log");
        ProcessBuilder chp = new ProcessBuilder(Peers.configurableHttpProxy().toString(),
                "--ip", "127.0.0.1", "--port", String.valueOf(publicPort),
                "--api-ip", "127.0.0.1", "--api-port", String.valueOf(apiPort),
                "--error-target", "http://127.0.0.1:" + hubPort + "/hub/error", "--log-level", "debug")
                .redirectErrorStream(true).redirectOutput(proxyLog.toFile());
        chp.environment().put("CONFIGPROXY_AUTH_TOKEN", PROXY_TOKEN);
        Process proxy = chp.start();
        try (HubProcess hub = new HubProcess(publicPort, apiPort, hubPort, Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_PROXY_EMBEDDED", "false",
                "GANYMEDE_PROXY_AUTH_TOKEN", PROXY_TOKEN,
                "GANYMEDE_SPAWNER_LOCAL_CMD", release.singleUser().toString()))) {
            awaitRoutes(apiPort, proxy, proxyLog);
            // CHP answers 404 itself until the hub adds its own route, as JupyterHub does at start.
            hub.awaitUp(hub.hubUrl("/hub/api/"), Duration.ofSeconds(120));
            long added = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!routes(apiPort).has("/")) {
                assertTrue(System.nanoTime() < added, "the hub added no route for itself:\n" + hub.logText());
                Thread.sleep(200);
            }
            JsonNode root = routes(apiPort).path("/");
            assertEquals("http://127.0.0.1:" + hubPort, root.path("target").asText(), root.toString());
            HttpResponse<String> version = api.send(HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api/"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, version.statusCode(), version.body());

            // O'Brien's named server: both names escaped in its path, through CHP, via OAuth.
            String obrien = Names.path(Names.OBRIEN);
            String namedApi = "/users/" + obrien + "/servers/" + Names.path(Names.SERVER);
            assertEquals(201, call(hub, "POST", "/users/" + obrien, null).statusCode());
            int started = call(hub, "POST", namedApi, "{}").statusCode();
            assertTrue(started == 201 || started == 202, "start answered " + started);
            String progress = call(hub, "GET", namedApi + "/progress", null).body();
            assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText());
            String named = Names.prefix(Names.OBRIEN, Names.SERVER);
            Browser browser = new Browser();
            HttpResponse<String> login = browser.open(hub.publicUrl(named + release.landingPage()));
            assertEquals("/hub/login", login.uri().getPath(), login.uri().toString());
            HttpResponse<String> lab = browser.signIn(login, Names.OBRIEN);
            assertEquals(200, lab.statusCode(), lab.uri() + "\n" + Files.readString(proxyLog));
            assertEquals(named + release.landingPage(), lab.uri().getRawPath());
            // CHP lists its routes unescaped.
            String routeKey = "/user/" + Names.OBRIEN + "/" + Names.SERVER;
            JsonNode route = routes(apiPort).path(routeKey);
            assertEquals(Names.OBRIEN, route.path("user").asText(), routes(apiPort).toString());
            assertEquals(Names.SERVER, route.path("server_name").asText(), route.toString());

            String token = JSON.readTree(call(hub, "POST", "/users/" + obrien + "/tokens", "{\"note\": \"e2e\"}").body()).get("token").asText();
            Kernels.assertOnePlusOne(browser.http, hub.publicUrl(named), Names.OBRIEN, token);

            // Stopped: the hub takes its route out of CHP.
            int stopped = call(hub, "DELETE", namedApi, null).statusCode();
            assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (routes(apiPort).has(routeKey)) {
                assertTrue(System.nanoTime() < deadline, "route still in CHP: " + routes(apiPort));
                Thread.sleep(200);
            }
            assertFalse(routes(apiPort).path("/").isMissingNode(), "the hub's own route went too");
        } finally {
            proxy.destroy();
            proxy.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private JsonNode routes(int apiPort) throws Exception {
        HttpResponse<String> r = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/routes"))
                .header("Authorization", "token " + PROXY_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private void awaitRoutes(int apiPort, Process proxy, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(proxy.isAlive(), "configurable-http-proxy exited:\n" + Files.readString(log));
            try {
                routes(apiPort);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("configurable-http-proxy did not start:\n" + Files.readString(log));
    }

    private HttpResponse<String> call(HubProcess hub, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + ADMIN).timeout(Duration.ofSeconds(60));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
