package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Debian's real JupyterHub 3.0 driving the Ganymede proxy through configurable-http-proxy's contract. */
class JupyterHubWithGanymedeProxyTest {

    @Test
    void hubLaunchesTheProxyAndAUserReachesAKernelThroughIt() throws Exception {
        try (ProxyJupyterHub hub = new ProxyJupyterHub()) {
            hub.awaitUp(Duration.ofSeconds(60));
            String log = hub.logText();
            assertTrue(log.contains("REST API at http://127.0.0.1:" + hub.apiPort), "hub did not launch our proxy:\n" + log);

            // A person logs in with the form; the hub then spawns the server and OAuth lands on it.
            HttpResponse<String> login = hub.send(hub.get("/hub/login")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(Names.ALICE, StandardCharsets.UTF_8)
                            + "&password=" + ProxyJupyterHub.PASSWORD)));
            assertEquals(302, login.statusCode(), login.body());
            hub.startServer(Names.ALICE, Duration.ofSeconds(90));
            HttpResponse<String> tree = hub.browse(hub.get(Names.prefix(Names.ALICE, "") + "tree"));
            assertEquals(200, tree.statusCode(), tree.uri() + "\n" + hub.logText());
            assertTrue(tree.uri().getRawPath().startsWith(Names.prefix(Names.ALICE, "")), tree.uri().toString());

            assertKernelComputes(hub, Names.ALICE);
            // The proxy lists routes unescaped, as configurable-http-proxy does.
            JsonNode route = hub.proxyRoutes().get("/user/" + Names.ALICE);
            assertEquals(Names.ALICE, route.get("user").asText());
            assertTrue(route.get("jupyterhub").asBoolean());
        }
    }

    @Test
    void hubDrivesAProxyItDidNotStart() throws Exception {
        Path proxyLog = Files.createTempFile("ganymede-proxy", ".log");
        int publicPort = ProxyJupyterHub.freePort();
        int apiPort = ProxyJupyterHub.freePort();
        Process proxy = ProxyJupyterHub.startProxy(publicPort, apiPort, proxyLog);
        try (ProxyJupyterHub hub = new ProxyJupyterHub(false, publicPort, apiPort)) {
            hub.awaitUp(Duration.ofSeconds(60));
            JsonNode root = hub.proxyRoutes().get("/");
            assertEquals("http://127.0.0.1:" + hub.hubPort, root.get("target").asText());
            assertTrue(root.get("jupyterhub").asBoolean());

            hub.startServer(Names.OBRIEN, Duration.ofSeconds(90));
            String token = hub.userToken(Names.OBRIEN);
            HttpResponse<String> status = hub.send(hub.get(Names.prefix(Names.OBRIEN, "") + "api/status").header("Authorization", "token " + token));
            assertEquals(200, status.statusCode(), status.body());
            assertTrue(ProxyJupyterHub.JSON.readTree(status.body()).has("last_activity"), status.body());

            // Activity the hub reads back from the proxy: the request above made the route recent.
            assertTrue(!inactiveSince(hub, Instant.now().minusSeconds(60)).has("/user/" + Names.OBRIEN));
            assertTrue(inactiveSince(hub, Instant.now().plusSeconds(60)).has("/user/" + Names.OBRIEN));

            int stopped = hub.send(hub.admin("/users/" + Names.path(Names.OBRIEN) + "/server").DELETE()).statusCode();
            assertTrue(stopped == 204 || stopped == 202, "stopping: " + stopped);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hub.proxyRoutes().has("/user/" + Names.OBRIEN)) {
                assertTrue(System.nanoTime() < deadline, "hub never removed the route");
                Thread.sleep(200);
            }
        } finally {
            proxy.destroy();
            assertTrue(proxy.waitFor(20, TimeUnit.SECONDS), "proxy did not stop on SIGTERM:\n" + Files.readString(proxyLog));
        }
    }

    private static JsonNode inactiveSince(ProxyJupyterHub hub, Instant since) throws Exception {
        return ProxyJupyterHub.JSON.readTree(hub.http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + hub.apiPort + "/api/routes?inactive_since=" + since))
                .header("Authorization", "token " + ProxyJupyterHub.PROXY_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Starts a kernel over REST, runs 1+1 over its WebSocket through the proxy, and expects 2. */
    private static void assertKernelComputes(ProxyJupyterHub hub, String user) throws Exception {
        Kernels.assertOnePlusOne(hub.http, hub.publicUrl(Names.prefix(user, "")), user, hub.userToken(user));
    }
}
