package io.ganymede.hub.api;

import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ganymede.tokens.expires-in-max}, as JupyterHub's {@code token_expires_in_max_seconds}. */
@QuarkusTest
@TestProfile(TokenExpiryMaxTest.OneHour.class)
class TokenExpiryMaxTest {

    public static class OneHour implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ganymede.tokens.expires-in-max", "3600");
        }
    }

    @Test
    void theMaximumCapsWhatIsAskedAndIsWhatATokenAskingNoneGets() {
        String own = userWithToken("max-expiry@example.com");
        String path = "/hub/api/users/max-expiry@example.com/tokens";
        as(own).body(Map.of("expires_in", 3601)).post(path).then().statusCode(400)
                .body("message", equalTo("token expires_in: 3601 must not exceed 3600"));
        as(own).body(Map.of("expires_in", 60)).post(path).then().statusCode(201);
        JsonPath unasked = as(own).body(Map.of("note", "no expiry asked")).post(path).then().statusCode(201).extract().jsonPath();
        assertEquals(Duration.ofHours(1), Duration.between(Instant.parse(unasked.getString("created")),
                Instant.parse(unasked.getString("expires_at"))));
    }
}
