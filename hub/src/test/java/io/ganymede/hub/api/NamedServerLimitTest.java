package io.ganymede.hub.api;

import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code named-server-limit}: as JupyterHub's named_server_limit_per_user, stopped servers count until removed. */
@QuarkusTest
@TestProfile(NamedServerLimitTest.TwoNamed.class)
class NamedServerLimitTest {

    public static class TwoNamed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ganymede.spawner.named-server-limit", "2");
        }
    }

    @Test
    void theThirdNamedServerIsRefusedUntilOneIsRemoved() {
        String token = userWithToken("limited");
        String base = "/hub/api/users/limited/servers/";
        startServer(token, "limited", "one");
        startServer(token, "limited", "two");
        as(token).post(base + "three").then().statusCode(400).body("message", equalTo(
                "User limited already has the maximum of 2 named servers.  One must be deleted before a new server can be created"));
        // The default server is not a named one.
        startServer(token, "limited", "");
        // Stopped but kept: still counts; restarting an existing one is allowed.
        as(token).delete(base + "two").then().statusCode(204);
        as(token).post(base + "three").then().statusCode(400);
        startServer(token, "limited", "two");
        as(token).body(Map.of("remove", true)).delete(base + "two").then().statusCode(204);
        startServer(token, "limited", "three");
        as(token).delete(base + "one").then().statusCode(204);
        as(token).delete(base + "three").then().statusCode(204);
        as(token).delete("/hub/api/users/limited/server").then().statusCode(204);
    }
}
