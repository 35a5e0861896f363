package io.ganymede.hub.proxy;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Two proxy replicas each keep their own routing table: the hub must change both, repair each on
 * its own, and count activity seen by either.
 */
@QuarkusTest
@TestProfile(ProxyReplicasTest.Replicas.class)
class ProxyReplicasTest {

    public static class Replicas implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(TwoProxyReplicas.class));
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyReplicaGetsEveryRouteAndIsRepairedOnItsOwn() throws Exception {
        String token = userWithToken("rita");
        as(token).post("/hub/api/users/rita/server").then().statusCode(201);
        for (var replica : TwoProxyReplicas.REPLICAS) {
            JsonObject routes = routes(replica.apiPort());
            assertNotNull(routes.getJsonObject("/user/rita"), routes.encode());
            assertNotNull(routes.getJsonObject("/"), "the hub's own route: " + routes.encode());
        }

        int second = TwoProxyReplicas.REPLICAS.get(1).apiPort();
        call("DELETE", second, "/api/routes/user/rita", null);
        call("POST", second, "/api/routes/user/ghost", "{\"target\": \"http://127.0.0.1:9\", \"jupyterhub\": true, \"user\": \"ghost\"}");
        admin().post("/hub/api/proxy").then().statusCode(200);
        JsonObject repaired = routes(second);
        assertNotNull(repaired.getJsonObject("/user/rita"), repaired.encode());
        assertFalse(repaired.containsKey("/user/ghost"), repaired.encode());

        // Traffic through the second replica alone still counts as the server's activity.
        Instant before = Instant.parse(admin().get("/hub/api/users/rita").then().extract().<String>path("servers.''.last_activity"));
        Thread.sleep(1100);
        HttpResponse<String> through = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + TwoProxyReplicas.REPLICAS.get(1).publicPort() + "/user/rita/api")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, through.statusCode());
        admin().post("/hub/api/proxy").then().statusCode(200);
        Instant after = Instant.parse(admin().get("/hub/api/users/rita").then().extract().<String>path("servers.''.last_activity"));
        assertTrue(after.isAfter(before), before + " -> " + after);

        as(token).delete("/hub/api/users/rita/server").then().statusCode(204);
        for (var replica : TwoProxyReplicas.REPLICAS) {
            assertFalse(routes(replica.apiPort()).containsKey("/user/rita"));
        }
    }

    private JsonObject routes(int apiPort) throws Exception {
        return new JsonObject(call("GET", apiPort, "/api/routes", null));
    }

    private String call(String method, int apiPort, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .header("Authorization", "token " + TwoProxyReplicas.TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
