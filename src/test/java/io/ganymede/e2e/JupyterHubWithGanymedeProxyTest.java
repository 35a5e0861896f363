package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
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
                    .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=" + ProxyJupyterHub.PASSWORD)));
            assertEquals(302, login.statusCode(), login.body());
            hub.startServer("alice", Duration.ofSeconds(90));
            HttpResponse<String> tree = hub.browse(hub.get("/user/alice/tree"));
            assertEquals(200, tree.statusCode(), tree.uri() + "\n" + hub.logText());
            assertTrue(tree.uri().getPath().startsWith("/user/alice/"), tree.uri().toString());

            assertKernelComputes(hub, "alice");
            JsonNode route = hub.proxyRoutes().get("/user/alice");
            assertEquals("alice", route.get("user").asText());
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

            hub.startServer("bob", Duration.ofSeconds(90));
            String token = hub.userToken("bob");
            HttpResponse<String> status = hub.send(hub.get("/user/bob/api/status").header("Authorization", "token " + token));
            assertEquals(200, status.statusCode(), status.body());
            assertTrue(ProxyJupyterHub.JSON.readTree(status.body()).has("last_activity"), status.body());

            // Activity the hub reads back from the proxy: the request above made bob's route recent.
            assertTrue(!inactiveSince(hub, Instant.now().minusSeconds(60)).has("/user/bob"));
            assertTrue(inactiveSince(hub, Instant.now().plusSeconds(60)).has("/user/bob"));

            int stopped = hub.send(hub.admin("/users/bob/server").DELETE()).statusCode();
            assertTrue(stopped == 204 || stopped == 202, "stopping: " + stopped);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hub.proxyRoutes().has("/user/bob")) {
                assertTrue(System.nanoTime() < deadline, "hub never removed bob's route");
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
        String token = hub.userToken(user);
        HttpResponse<String> started = hub.send(hub.get("/user/" + user + "/api/kernels")
                .header("Authorization", "token " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"python3\"}")));
        assertEquals(201, started.statusCode(), started.body());
        String kernel = ProxyJupyterHub.JSON.readTree(started.body()).get("id").asText();

        BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        StringBuilder partial = new StringBuilder();
        WebSocket ws = hub.http.newWebSocketBuilder()
                .header("Authorization", "token " + token)
                .connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create("ws://127.0.0.1:" + hub.publicPort + "/user/" + user + "/api/kernels/" + kernel
                        + "/channels?session_id=" + URLEncoder.encode(UUID.randomUUID().toString(), StandardCharsets.UTF_8)),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    try {
                                        messages.add(ProxyJupyterHub.JSON.readTree(partial.toString()));
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                    partial.setLength(0);
                                }
                                socket.request(1);
                                return null;
                            }
                        })
                .get(30, TimeUnit.SECONDS);
        String msgId = UUID.randomUUID().toString();
        ObjectNode request = ProxyJupyterHub.JSON.createObjectNode();
        request.putObject("header").put("msg_id", msgId).put("username", user).put("session", UUID.randomUUID().toString())
                .put("msg_type", "execute_request").put("version", "5.3");
        request.putObject("parent_header");
        request.putObject("metadata");
        request.putObject("content").put("code", "1+1").put("silent", false).put("store_history", true)
                .put("allow_stdin", false).put("stop_on_error", true).putObject("user_expressions");
        request.put("channel", "shell");
        request.putArray("buffers");
        ws.sendText(request.toString(), true).get(10, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = messages.poll(1, TimeUnit.SECONDS);
            if (message != null && "execute_result".equals(message.path("msg_type").asText(message.path("header").path("msg_type").asText()))
                    && msgId.equals(message.path("parent_header").path("msg_id").asText())) {
                assertEquals("2", message.path("content").path("data").path("text/plain").asText());
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
                return;
            }
        }
        throw new AssertionError("no execute_result for 1+1 over the kernel WebSocket\n" + hub.logText());
    }
}
