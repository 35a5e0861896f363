package io.ganymede.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganymede.proxy.LogCapture;
import io.ganymede.proxy.ProxyFixture;
import io.ganymede.proxy.routing.Route;
import io.ganymede.proxy.routing.RouteTable;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * API tokens on gated routes (login-at-proxy services, RStudio and code-server servers): the proxy
 * asks the hub's check endpoint, here a stand-in that knows one good token per route.
 */
class TokenAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "/services/ray";
    private static final String SERVER = "/user/o'brien+test@example.com/rstudio";

    /** What the stand-in hub was asked: the path parameter and the Authorization header. */
    private record Asked(String path, String authorization) {}

    /**
     * The stand-in hub: 200 for token "good-<route>" on that route, else 403 with a reason, as the
     * hub's endpoint answers; it adds headers of its own that must never reach the client.
     */
    private static int hub(ProxyFixture fx, List<Asked> asked, long delayMillis) {
        return fx.backend(request -> {
            String path = request.getParam("path");
            asked.add(new Asked(path, request.getHeader("Authorization")));
            boolean good = ("token good-" + path).equals(request.getHeader("Authorization"));
            fx.vertx.setTimer(Math.max(1, delayMillis), t -> request.response()
                    .setStatusCode(good ? 200 : 403).putHeader("Content-Type", "application/json")
                    .putHeader("Set-Cookie", "hub-check=1; Path=/").putHeader("X-Hub-Check", "yes")
                    .end(good ? "{\"path\": \"" + path + "\"}"
                            : "{\"status\": 403, \"message\": \"token lacks access:services!service=ray\"}"));
        });
    }

    private static void gatedRoute(ProxyFixture fx, String path, int hubPort) {
        int app = fx.backend(HttpForwardingTest::echo);
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("target", "http://127.0.0.1:" + app)
                .put("access_url", "/hub/open-service/ray");
        if (hubPort > 0) {
            data.put("access_check_url", "http://127.0.0.1:" + hubPort + "/hub/api/routes/access");
        }
        fx.addRoute(escape(path), data.toString());
    }

    private static HttpResponse<String> get(ProxyFixture fx, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fx.publicUrl(escape(path)))).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return fx.send(request.build());
    }

    private static String escape(String path) {
        return path.replace("'", "%27").replace("+", "%2B");
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(response.body(), e);
        }
    }

    @Test
    void aTokenTheHubAcceptsReachesTheApp() {
        try (ProxyFixture fx = new ProxyFixture()) {
            List<Asked> asked = new CopyOnWriteArrayList<>();
            gatedRoute(fx, SERVICE, hub(fx, asked, 0));
            HttpResponse<String> ok = get(fx, SERVICE + "/api/jobs/?limit=2", "token good-" + SERVICE);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("/services/ray/api/jobs/?limit=2", json(ok).path("uri").asText());
            // The app gets the request without the hub token, which the proxy used up as the
            // app's login; the hub check's own headers go nowhere.
            assertFalse(json(ok).path("headers").has("authorization"), ok.body());
            assertTrue(ok.headers().firstValue("Set-Cookie").isEmpty(), ok.headers().toString());
            assertTrue(ok.headers().firstValue("X-Hub-Check").isEmpty());
            assertFalse(json(ok).path("headers").has("x-hub-check"));
            assertEquals(List.of(new Asked(SERVICE, "token good-" + SERVICE)), asked);

            assertEquals(200, get(fx, SERVICE + "/", "Bearer good-" + SERVICE).statusCode());
        }
    }

    @Test
    void aTokenTheHubRefusesGets403JsonNeverTheLoginRedirect() {
        try (ProxyFixture fx = new ProxyFixture()) {
            List<Asked> asked = new CopyOnWriteArrayList<>();
            gatedRoute(fx, SERVICE, hub(fx, asked, 0));
            HttpResponse<String> refused = get(fx, SERVICE + "/api/jobs/", "token someone-elses");
            assertEquals(403, refused.statusCode());
            assertTrue(refused.headers().firstValue("Location").isEmpty());
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals(403, json(refused).path("status").asInt());
            assertEquals("token lacks access:services!service=ray", json(refused).path("message").asText());
            assertTrue(refused.headers().firstValue("Set-Cookie").isEmpty());
            // Without any credential a browser is still sent to the hub for the access cookie.
            HttpResponse<String> browser = get(fx, SERVICE + "/", null);
            assertEquals(302, browser.statusCode());
            assertEquals("/hub/open-service/ray?next=%2Fservices%2Fray%2F", browser.headers().firstValue("Location").orElseThrow());
            // An Authorization header of another kind is no API token: the browser path.
            assertEquals(302, get(fx, SERVICE + "/", "Basic dXNlcjpwYXNz").statusCode());
        }
    }

    @Test
    void serverRoutesAreCheckedByTheirUnescapedPath() {
        try (ProxyFixture fx = new ProxyFixture()) {
            List<Asked> asked = new CopyOnWriteArrayList<>();
            gatedRoute(fx, SERVER, hub(fx, asked, 0));
            HttpResponse<String> ok = get(fx, SERVER + "/rstudio/", "token good-" + SERVER);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(SERVER, asked.get(0).path());
            assertEquals(403, get(fx, SERVER + "/", "token good-" + SERVICE).statusCode());
        }
    }

    @Test
    void answersAreKeptBrieflyPerTokenAndRoute() {
        try (ProxyFixture fx = new ProxyFixture()) {
            List<Asked> asked = new CopyOnWriteArrayList<>();
            int hub = hub(fx, asked, 0);
            gatedRoute(fx, SERVICE, hub);
            gatedRoute(fx, "/services/mlflow", hub);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get(fx, SERVICE + "/x", "token good-" + SERVICE).statusCode());
                assertEquals(403, get(fx, SERVICE + "/x", "token bad").statusCode());
            }
            assertEquals(2, asked.size(), asked.toString());
            // The same token on another route is another question.
            assertEquals(403, get(fx, "/services/mlflow/", "token good-" + SERVICE).statusCode());
            assertEquals(3, asked.size());
        }
    }

    @Test
    void aRequestBodyWaitsForTheCheckAndArrivesWhole() {
        try (ProxyFixture fx = new ProxyFixture()) {
            List<Asked> asked = new CopyOnWriteArrayList<>();
            gatedRoute(fx, SERVICE, hub(fx, asked, 300));
            String body = "{\"entrypoint\": \"python job.py\"}".repeat(2000);
            HttpResponse<String> posted = fx.send(HttpRequest.newBuilder(URI.create(fx.publicUrl(SERVICE + "/api/jobs/")))
                    .header("Authorization", "token good-" + SERVICE).POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertEquals(200, posted.statusCode(), posted.body());
            assertEquals(body.length(), json(posted).path("bodyLength").asInt());
            HttpResponse<String> refused = fx.send(HttpRequest.newBuilder(URI.create(fx.publicUrl(SERVICE + "/api/jobs/")))
                    .header("Authorization", "token bad").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertEquals(403, refused.statusCode());
            // The connection is still good for the next request after a refused body.
            assertEquals(200, get(fx, SERVICE + "/", "token good-" + SERVICE).statusCode());
        }
    }

    @Test
    void aHubThatCannotAnswerIs503NotAPassAndTheTokenIsNotLogged() {
        try (LogCapture capture = new LogCapture(""); ProxyFixture fx = new ProxyFixture()) {
            gatedRoute(fx, SERVICE, HttpForwardingTest.closedPort());
            String secret = "token-that-must-stay-secret";
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> unavailable = get(fx, SERVICE + "/", "token " + secret);
                assertEquals(503, unavailable.statusCode());
                assertEquals(503, json(unavailable).path("status").asInt());
                assertTrue(json(unavailable).path("message").asText().contains("cannot check"));
            }
            // A failed check is not kept: each request asked (and failed) again.
            assertEquals(2, capture.messages().stream().filter(m -> m.startsWith("token check for /services/ray failed")).count(),
                    capture.messages().toString());

            // A hub answering 500 is no verdict either.
            int failing = fx.backend(request -> request.response().setStatusCode(500).end("boom"));
            gatedRoute(fx, "/services/mlflow", failing);
            assertEquals(503, get(fx, "/services/mlflow/", "token " + secret).statusCode());
            assertTrue(capture.messages().stream().anyMatch(m -> m.contains("the hub answered 500")), capture.messages().toString());
            assertFalse(String.join("\n", capture.messages()).contains(secret), capture.messages().toString());
        }
    }

    @Test
    void routesWithoutACheckUrlRefuseTokensWith403() {
        try (ProxyFixture fx = new ProxyFixture()) {
            gatedRoute(fx, SERVICE, 0);
            HttpResponse<String> refused = get(fx, SERVICE + "/", "token anything");
            assertEquals(403, refused.statusCode());
            assertEquals("API tokens are not accepted on /services/ray/", json(refused).path("message").asText());
        }
    }

    @Test
    void aWebSocketWithAnAcceptedTokenOpensAndOneWithoutIsRefused() {
        try (ProxyFixture fx = new ProxyFixture()) {
            List<Asked> asked = new CopyOnWriteArrayList<>();
            int hub = hub(fx, asked, 0);
            int app = fx.backend(request -> request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage)));
            fx.addRoute(SERVICE, "{\"target\": \"http://127.0.0.1:" + app + "\", \"access_url\": \"/hub/open-service/ray\","
                    + " \"access_check_url\": \"http://127.0.0.1:" + hub + "/hub/api/routes/access\"}");
            URI ws = URI.create(fx.publicUrl(SERVICE + "/ws").replaceFirst("^http", "ws"));
            WebSocket open = fx.http.newWebSocketBuilder().header("Authorization", "token good-" + SERVICE)
                    .buildAsync(ws, new WebSocket.Listener() {}).join();
            open.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> fx.http.newWebSocketBuilder().header("Authorization", "token bad")
                            .buildAsync(ws, new WebSocket.Listener() {}).join());
            assertEquals(403, ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void theCacheIsBoundedAndForgetsAfterItsTime() {
        try (ProxyFixture fx = new ProxyFixture()) {
            List<Asked> asked = new CopyOnWriteArrayList<>();
            int hub = hub(fx, asked, 0);
            RouteTable table = new RouteTable();
            Route route = table.add(SERVICE, (ObjectNode) JsonNodeFactory.instance.objectNode()
                    .put("target", "http://127.0.0.1:1")
                    .put("access_check_url", "http://127.0.0.1:" + hub + "/hub/api/routes/access"));
            AtomicLong now = new AtomicLong();
            TokenChecks checks = new TokenChecks(fx.vertx, Duration.ofSeconds(5), 3, now::get);
            try {
                for (int i = 0; i < 5; i++) {
                    ProxyFixture.await(checks.check("t" + i, route));
                }
                assertEquals(3, checks.size());
                assertEquals(5, asked.size());
                assertEquals(200, ProxyFixture.await(checks.check("good-" + SERVICE, route)).status());
                assertEquals(200, ProxyFixture.await(checks.check("good-" + SERVICE, route)).status());
                assertEquals(6, asked.size());
                now.addAndGet(Duration.ofSeconds(5).toNanos());
                assertEquals(200, ProxyFixture.await(checks.check("good-" + SERVICE, route)).status());
                assertEquals(7, asked.size());
                assertEquals(SERVICE, URLDecoder.decode(asked.get(6).path(), StandardCharsets.UTF_8));
            } finally {
                checks.close();
            }
        }
    }
}
