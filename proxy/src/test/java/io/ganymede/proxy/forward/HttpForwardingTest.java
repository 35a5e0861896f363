package io.ganymede.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganymede.proxy.LogCapture;
import io.ganymede.proxy.ProxyFixture;
import io.ganymede.proxy.ProxyOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpForwardingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Answers with what it received: method, uri, headers and body length, as JSON. */
    static void echo(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            ObjectNode json = JSON.createObjectNode();
            json.put("method", request.method().name());
            json.put("uri", request.uri());
            json.put("bodyLength", body.length());
            ObjectNode headers = json.putObject("headers");
            for (Map.Entry<String, String> h : request.headers()) {
                headers.put(h.getKey().toLowerCase(), headers.has(h.getKey().toLowerCase())
                        ? headers.get(h.getKey().toLowerCase()).asText() + "|" + h.getValue() : h.getValue());
            }
            request.response().putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "keep-alive, X-Drop-Me").putHeader("X-Drop-Me", "1")
                    .putHeader("X-Kept", "yes").end(json.toString());
        });
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void forwardsWithThePrefixKeptAndForwardedHeadersSet() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(HttpForwardingTest::echo);
            fx.addRoute("/user/alice", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            HttpResponse<String> r = fx.send(HttpRequest.newBuilder(URI.create(fx.publicUrl("/user/alice/api/status?x=1&y=%2F")))
                    .header("X-Forwarded-For", "203.0.113.9").header("X-Custom", "kept")
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode seen = json(r);
            assertEquals("POST", seen.get("method").asText());
            assertEquals("/user/alice/api/status?x=1&y=%2F", seen.get("uri").asText());
            assertEquals(5, seen.get("bodyLength").asInt());
            JsonNode h = seen.get("headers");
            assertEquals("127.0.0.1:" + fx.proxy.publicPort(), h.get("host").asText(), "Host passes through");
            assertEquals("203.0.113.9,127.0.0.1", h.get("x-forwarded-for").asText());
            assertEquals("http", h.get("x-forwarded-proto").asText());
            assertEquals(String.valueOf(fx.proxy.publicPort()), h.get("x-forwarded-port").asText());
            assertEquals("127.0.0.1:" + fx.proxy.publicPort(), h.get("x-forwarded-host").asText());
            assertEquals("kept", h.get("x-custom").asText());
            assertEquals("yes", r.headers().firstValue("X-Kept").orElse(null));
            assertTrue(r.headers().firstValue("X-Drop-Me").isEmpty(), "headers named in Connection are hop-by-hop");
        }
    }

    @Test
    void hopByHopRequestHeadersStayAtTheProxyWhateverTheirCase() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(HttpForwardingTest::echo);
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            String answer;
            try (Socket socket = new Socket("127.0.0.1", fx.proxy.publicPort())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET /h HTTP/1.1\r\nHost: example.org\r\nconnection: keep-alive, x-secret\r\n"
                        + "X-SECRET: 1\r\nKEEP-ALIVE: timeout=5\r\nte: trailers\r\nProxy-Connection: keep-alive\r\n"
                        + "X-Hostname: kept\r\nX-Te: kept\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                java.io.InputStream in = socket.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                answer = head.toString();
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(answer);
                assertTrue(length.find(), answer);
                answer += new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
            }
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            JsonNode h = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("headers");
            for (String dropped : new String[] {"x-secret", "keep-alive", "te", "proxy-connection"}) {
                assertNull(h.get(dropped), dropped + " must not reach the target: " + h);
            }
            assertEquals("kept", h.get("x-hostname").asText());
            assertEquals("kept", h.get("x-te").asText());
            assertEquals("example.org", h.get("host").asText());
        }
    }

    @Test
    void noXForwardLeavesForwardedHeadersAlone() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(ProxyOptions.defaults().withXForward(false))) {
            int port = fx.backend(HttpForwardingTest::echo);
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            assertNull(json(fx.get("/x")).get("headers").get("x-forwarded-for"));
        }
    }

    @Test
    void targetBasePathIsPrepended() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(HttpForwardingTest::echo);
            fx.addRoute("/svc", "{\"target\": \"http://127.0.0.1:" + port + "/base/\"}");
            assertEquals("/base/svc/a?b", json(fx.get("/svc/a?b")).get("uri").asText());
        }
    }

    @Test
    void defaultTargetServesEverythingElse() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(ProxyOptions.defaults().withDefaultTarget("http://127.0.0.1:1"))) {
            int port = fx.backend(HttpForwardingTest::echo);
            assertEquals("http://127.0.0.1:1", JSON.readTree(fx.api("GET", "/api/routes", null).body()).get("/").get("target").asText());
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            assertEquals("/hub/login", json(fx.get("/hub/login")).get("uri").asText());
        }
    }

    @Test
    void unknownRouteIs404AndDownTargetIs503() {
        try (ProxyFixture fx = new ProxyFixture()) {
            fx.addRoute("/user/down", "{\"target\": \"http://127.0.0.1:" + closedPort() + "\"}");
            assertEquals(404, fx.get("/nothing/here").statusCode());
            HttpResponse<String> down = fx.get("/user/down/api");
            assertEquals(503, down.statusCode());
            assertTrue(down.body().contains("503"));
            String metrics = fx.api("GET", "/metrics", null).body();
            assertTrue(metrics.contains("ganymede_proxy_errors_total{kind=\"no_route\"} 1"), metrics);
            assertTrue(metrics.contains("ganymede_proxy_errors_total{kind=\"connect\"} 1"), metrics);
        }
    }

    @Test
    void aFailedRequestIsLoggedWithoutItsQueryWhichMayCarryCredentials() {
        List<String> logged;
        try (LogCapture capture = new LogCapture(ErrorPages.class.getName()); ProxyFixture fx = new ProxyFixture()) {
            logged = capture.messages();
            fx.addRoute("/user/down", "{\"target\": \"http://127.0.0.1:" + closedPort() + "\"}");
            assertEquals(503, fx.get("/user/down/api/contents?token=s3cr3t-api-token").statusCode());
            assertEquals(503, fx.get("/user/down/oauth_callback?code=s3cr3t-oauth-code&state=abc").statusCode());
        }
        String all = String.join("\n", logged);
        assertTrue(all.contains("/user/down/api/contents?..."), all);
        assertTrue(all.contains("/user/down/oauth_callback?..."), all);
        assertFalse(all.contains("s3cr3t"), all);
    }

    @Test
    void errorTargetServesTheErrorPageUnderTheOriginalCode() throws Exception {
        try (ProxyFixture fx0 = new ProxyFixture()) {
            int hub = fx0.backend(r -> r.response().putHeader("Content-Type", "text/html")
                    .end("<p>hub error page for " + r.path() + " url=" + r.getParam("url") + "</p>"));
            try (ProxyFixture fx = new ProxyFixture(ProxyOptions.defaults().withErrorTarget("http://127.0.0.1:" + hub + "/hub/error"))) {
                fx.addRoute("/user/down", "{\"target\": \"http://127.0.0.1:" + closedPort() + "\"}");
                HttpResponse<String> down = fx.get("/user/down/tree?a=b");
                assertEquals(503, down.statusCode());
                assertEquals("<p>hub error page for /hub/error/503 url=/user/down/tree?a=b</p>", down.body());
                assertEquals("text/html", down.headers().firstValue("Content-Type").orElse(null));
                HttpResponse<String> missing = fx.get("/elsewhere");
                assertEquals(404, missing.statusCode());
                assertTrue(missing.body().contains("/hub/error/404"), missing.body());
            }
        }
    }

    @Test
    void silentTargetIsCutOffAfterTheIdleTimeoutWith504() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             ProxyFixture fx = new ProxyFixture(ProxyOptions.defaults().withIdleTimeout(Duration.ofMillis(500)))) {
            fx.addRoute("/slow", "{\"target\": \"http://127.0.0.1:" + silent.getLocalPort() + "\"}");
            long start = System.nanoTime();
            HttpResponse<String> r = fx.get("/slow/x");
            assertEquals(504, r.statusCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000);
        }
    }

    @Test
    void longPollWithinTheIdleTimeoutIsAnswered() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(ProxyOptions.defaults().withIdleTimeout(Duration.ofSeconds(3)))) {
            int port = fx.backend(r -> fx.vertx.setTimer(1500, t -> r.response().end("late")));
            fx.addRoute("/poll", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            assertEquals("late", fx.get("/poll/events").body());
        }
    }

    @Test
    void targetDyingMidResponseCutsTheClientOff() throws Exception {
        try (ServerSocket liar = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             ProxyFixture fx = new ProxyFixture()) {
            Thread server = new Thread(() -> {
                try (Socket s = liar.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a part".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException ignored) {
                    // the test asserts on the client side
                }
            });
            server.start();
            fx.addRoute("/liar", "{\"target\": \"http://127.0.0.1:" + liar.getLocalPort() + "\"}");
            boolean failed;
            try {
                fx.http.send(HttpRequest.newBuilder(URI.create(fx.publicUrl("/liar"))).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                failed = false;
            } catch (IOException e) {
                failed = !(e instanceof java.net.http.HttpTimeoutException);
            }
            assertTrue(failed, "a truncated body must end in a closed connection, not a hang or a clean end");
            server.join(5000);
        }
    }

    @Test
    void activityIsRecordedWhenTheTargetAnswers() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(HttpForwardingTest::echo);
            fx.addRoute("/user/act", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            Instant added = Instant.parse(JSON.readTree(fx.api("GET", "/api/routes/user/act", null).body()).get("last_activity").asText());
            Thread.sleep(200);
            assertEquals(200, fx.get("/user/act/x").statusCode());
            Instant after = Instant.parse(JSON.readTree(fx.api("GET", "/api/routes/user/act", null).body()).get("last_activity").asText());
            assertTrue(after.isAfter(added.plusMillis(150)), added + " then " + after);
        }
    }

    @Test
    void healthAnswersWithoutRoutesOrAuth() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            assertEquals("OK", json(fx.get("/_chp_healthz")).get("status").asText());
            assertEquals(200, fx.get("/health").statusCode());
        }
    }

    @Test
    void headRequestsAndEmptyResponsesEndCleanly() {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(r -> {
                if (r.path().equals("/none")) {
                    r.response().setStatusCode(204).end();
                } else {
                    r.response().putHeader("Content-Length", "5").end(r.method().name().equals("HEAD") ? "" : "hello");
                }
            });
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            HttpResponse<String> head = fx.send(HttpRequest.newBuilder(URI.create(fx.publicUrl("/x")))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, head.statusCode());
            assertEquals("5", head.headers().firstValue("Content-Length").orElse(null));
            assertEquals(204, fx.get("/none").statusCode());
            assertEquals("hello", fx.get("/x").body());
        }
    }

    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
