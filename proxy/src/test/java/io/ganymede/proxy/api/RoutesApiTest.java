package io.ganymede.proxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganymede.proxy.ProxyFixture;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void postThenGetReturnsTheDataAsGivenWithLastActivity() throws Exception {
        HttpResponse<String> post = fx.api("POST", "/api/routes/user/alice/",
                "{\"target\": \"http://127.0.0.1:9999\", \"jupyterhub\": true, \"user\": \"alice\", \"server_name\": \"\"}");
        assertEquals(201, post.statusCode(), post.body());

        HttpResponse<String> one = fx.api("GET", "/api/routes/user/alice", null);
        assertEquals(200, one.statusCode());
        JsonNode route = json(one);
        assertEquals("http://127.0.0.1:9999", route.get("target").asText());
        assertTrue(route.get("jupyterhub").asBoolean());
        assertEquals("alice", route.get("user").asText());
        assertEquals("", route.get("server_name").asText());
        Instant.parse(route.get("last_activity").asText());

        JsonNode all = json(fx.api("GET", "/api/routes", null));
        assertEquals(1, all.size());
        assertEquals("http://127.0.0.1:9999", all.get("/user/alice").get("target").asText());
    }

    @Test
    void postWithoutPathSetsTheRootRoute() throws Exception {
        assertEquals(201, fx.api("POST", "/api/routes", "{\"target\": \"http://127.0.0.1:9\", \"hub\": true}").statusCode());
        assertTrue(json(fx.api("GET", "/api/routes/", null)).get("/").get("hub").asBoolean());
    }

    @Test
    void inactiveSinceFiltersByLastActivity() throws Exception {
        fx.addRoute("/a", "{\"target\": \"http://127.0.0.1:9\"}");
        assertEquals(1, json(fx.api("GET", "/api/routes?inactive_since=2999-01-01T00:00:00Z", null)).size());
        assertEquals(0, json(fx.api("GET", "/api/routes?inactive_since=2000-01-01T00:00:00.000Z", null)).size());
        assertEquals(1, json(fx.api("GET", "/api/routes?inactive_since=2999-01-01T00:00:00.123456", null)).size());
        assertEquals(1, json(fx.api("GET", "/api/routes?inactiveSince=2999-01-01", null)).size());
        HttpResponse<String> bad = fx.api("GET", "/api/routes?inactive_since=yesterday", null);
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad).get("message").asText().contains("ISO8601"));
    }

    @Test
    void deleteAnswers204ThenTheRouteIsGone() {
        fx.addRoute("/user/bob", "{\"target\": \"http://127.0.0.1:9\"}");
        assertEquals(204, fx.api("DELETE", "/api/routes/user/bob/", null).statusCode());
        assertEquals(404, fx.api("GET", "/api/routes/user/bob", null).statusCode());
        assertEquals(404, fx.api("DELETE", "/api/routes/user/bob", null).statusCode());
    }

    @Test
    void anythingButTheRightTokenIs403() {
        assertEquals(403, fx.api("GET", "/api/routes", null, null).statusCode());
        assertEquals(403, fx.api("GET", "/api/routes", null, "token wrong").statusCode());
        assertEquals(403, fx.api("GET", "/api/routes", null, "Bearer " + ProxyFixture.TOKEN + "x").statusCode());
        assertEquals(403, fx.api("POST", "/api/routes/x", "{\"target\": \"http://127.0.0.1:9\"}", "").statusCode());
        assertEquals(403, fx.api("DELETE", "/api/routes/x", null, "token").statusCode());
        assertEquals(404, fx.api("GET", "/api/routes/x", null).statusCode());
    }

    @Test
    void badInputIs400WithAClearMessage() throws Exception {
        assertBad(fx.api("POST", "/api/routes/x", "{not json"), "not valid JSON");
        assertBad(fx.api("POST", "/api/routes/x", "{\"user\": \"x\"}"), "target");
        assertBad(fx.api("POST", "/api/routes/x", "{\"target\": 42}"), "target");
        assertBad(fx.api("POST", "/api/routes/x", "{\"target\": \"127.0.0.1:9\"}"), "absolute");
        assertBad(fx.api("POST", "/api/routes/x", "{\"target\": \"http://\"}"), "target");
        assertBad(fx.api("POST", "/api/routes/x", "[\"http://127.0.0.1:9\"]"), "object");
        assertBad(fx.api("POST", "/api/routes/a/../b", "{\"target\": \"http://127.0.0.1:9\"}"), "absolute");
        assertBad(fx.api("POST", "/api/routes/x", "{\"target\": \"http://127.0.0.1:9\", \"headers\": [1]}"), "headers");
        assertEquals(0, json(fx.api("GET", "/api/routes", null)).size());
    }

    private static void assertBad(HttpResponse<String> r, String fragment) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(400, body.get("status").asInt());
        assertTrue(body.get("message").asText().contains(fragment), body.get("message").asText());
    }

    @Test
    void unknownPathsAndMethods() {
        assertEquals(404, fx.api("GET", "/api/other", null).statusCode());
        assertEquals(404, fx.api("GET", "/api/routesx", null).statusCode());
        assertEquals(405, fx.api("PUT", "/api/routes/x", "{}").statusCode());
    }

    @Test
    void metricsAreServedInPrometheusFormat() {
        fx.addRoute("/user/m", "{\"target\": \"http://127.0.0.1:9\"}");
        HttpResponse<String> r = fx.api("GET", "/metrics", null, null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(r.body().contains("ganymede_proxy_routes 1\n"), r.body());
        assertTrue(r.body().contains("ganymede_proxy_route_activity_age_seconds{route=\"/user/m\"} "), r.body());
        assertTrue(r.body().contains("# TYPE ganymede_proxy_websockets_open gauge"), r.body());
        assertFalse(r.body().contains("NaN"));
    }
}
