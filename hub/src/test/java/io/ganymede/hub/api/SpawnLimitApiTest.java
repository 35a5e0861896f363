package io.ganymede.hub.api;

import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesRegex;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code concurrent-spawn-limit}: a start over the limit is refused as JupyterHub refuses it, a
 * 429 with "Too many users trying to log in right now. Try again in N0 seconds." and a
 * {@code Retry-After} within {@code spawn-throttle-retry-range}; once the start in flight is over,
 * the next one goes through.
 */
@QuarkusTest
@TestProfile(SpawnLimitApiTest.OneAtATime.class)
class SpawnLimitApiTest {

    public static class OneAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ganymede.spawner.concurrent-spawn-limit", "1",
                    "ganymede.spawner.slow-timeout", "1s");
        }
    }

    @Test
    void aStartOverTheLimitIsToldWhenToComeBack() {
        String first = userWithToken("first@example.com");
        String second = userWithToken("o'brien+second@example.com");
        // "slow" answers after 7 s: its start is in flight meanwhile, and takes the only place.
        as(first).post("/hub/api/users/first@example.com/servers/slow").then().statusCode(202);

        Response refused = as(second).post("/hub/api/users/o'brien+second@example.com/server");
        refused.then().statusCode(429).contentType("application/json")
                .body("status", equalTo(429))
                .body("message", matchesRegex("Too many users trying to log in right now\\. Try again in [3-6]0 seconds\\."));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 30 && retryAfter <= 60, "Retry-After " + retryAfter);
        // The message rounds the same wait up to ten seconds.
        assertTrue(refused.jsonPath().getString("message").contains(SpawnThrottleRounding.of(retryAfter)),
                refused.asString() + " with Retry-After " + retryAfter);

        // Once the slow start is over, there is room again.
        as(first).get("/hub/api/users/first@example.com/servers/slow/progress").then().statusCode(200);
        startServer(second, "o'brien+second@example.com", "");
        as(second).delete("/hub/api/users/o'brien+second@example.com/server").then().statusCode(204);
        as(first).delete("/hub/api/users/first@example.com/servers/slow").then().statusCode(204);
    }

    /** JupyterHub's rounding of the wait for people, written out for the test. */
    private static final class SpawnThrottleRounding {
        static String of(int seconds) {
            return ((seconds + 9) / 10) + "0 seconds";
        }
    }
}
