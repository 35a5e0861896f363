package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real JupyterHub (Debian's 3.0, and 5.5 and 6.1 from PyPI) driving the Ganymede proxy through
 * configurable-http-proxy's contract, in place of configurable-http-proxy.
 */
class JupyterHubWithGanymedeProxyTest {

    @ParameterizedTest(name = "JupyterHub {0}")
    @EnumSource(Peers.JupyterHub.class)
    void hubLaunchesTheProxyAndAUserReachesAKernelThroughIt(Peers.JupyterHub release) throws Exception {
        try (ProxyJupyterHub hub = new ProxyJupyterHub(release)) {
            hub.awaitUp(Duration.ofSeconds(60));
            String version = ProxyJupyterHub.JSON.readTree(hub.send(hub.get("/hub/api/")).body()).path("version").asText();
            assertTrue(version.startsWith(release + "."), "JupyterHub " + version + " answered, not " + release);
            String log = hub.logText();
            assertTrue(log.contains("REST API at http://127.0.0.1:" + hub.apiPort), "hub did not launch our proxy:\n" + log);

            // A person logs in with the form; the hub then spawns the server and OAuth lands on it.
            HttpResponse<String> login = hub.logIn(Names.ALICE);
            assertEquals(302, login.statusCode(), login.body());
            hub.startServer(Names.ALICE, Duration.ofSeconds(90));
            HttpResponse<String> tree = hub.browse(hub.get(Names.prefix(Names.ALICE, "") + release.landingPage()));
            assertEquals(200, tree.statusCode(), tree.uri() + "\n" + hub.logText());
            assertTrue(tree.uri().getRawPath().startsWith(Names.prefix(Names.ALICE, "")), tree.uri().toString());

            assertKernelComputes(hub, Names.ALICE);
            // The proxy lists routes unescaped, as configurable-http-proxy does.
            JsonNode route = hub.proxyRoutes().get("/user/" + Names.ALICE);
            assertEquals(Names.ALICE, route.get("user").asText());
            assertTrue(route.get("jupyterhub").asBoolean());
        }
    }

    @ParameterizedTest(name = "JupyterHub {0}")
    @EnumSource(Peers.JupyterHub.class)
    void hubDrivesAProxyItDidNotStart(Peers.JupyterHub release) throws Exception {
        Path proxyLog = Files.createTempFile("ganymede-proxy", ".log");
        int publicPort = ProxyJupyterHub.freePort();
        int apiPort = ProxyJupyterHub.freePort();
        Process proxy = ProxyJupyterHub.startProxy(publicPort, apiPort, proxyLog);
        try (ProxyJupyterHub hub = new ProxyJupyterHub(release, false, publicPort, apiPort)) {
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
