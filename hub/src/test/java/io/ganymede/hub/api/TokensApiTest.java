package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /users/{name}/tokens} as JupyterHub 5: the secret once, list, get, revoke, scope limits. */
@QuarkusTest
class TokensApiTest {

    @Test
    void createListGetAndRevoke() {
        String own = userWithToken("tok-owner");
        JsonPath created = as(own).body(Map.of("note", "for the pipeline", "expires_in", 3600,
                        "scopes", List.of("read:users!user=tok-owner", "servers!user=tok-owner")))
                .post("/hub/api/users/tok-owner/tokens").then().statusCode(201)
                .body("kind", equalTo("api_token"))
                .body("user", equalTo("tok-owner"))
                .body("note", equalTo("for the pipeline"))
                .body("id", startsWith("a"))
                .body("token", notNullValue())
                .body("scopes", contains("read:users!user=tok-owner", "servers!user=tok-owner"))
                .extract().jsonPath();
        String id = created.getString("id");
        String secret = created.getString("token");
        Instant expires = Instant.parse(created.getString("expires_at"));
        Instant made = Instant.parse(created.getString("created"));
        assertEquals(Duration.ofHours(1), Duration.between(made, expires));

        as(secret).get("/hub/api/user").then().statusCode(200).body("name", equalTo("tok-owner"));
        as(own).get("/hub/api/users/tok-owner/tokens").then().statusCode(200)
                .body("api_tokens.id", org.hamcrest.Matchers.hasItem(id))
                .body("api_tokens.find { it.id == '" + id + "' }", not(hasKey("token")))
                .body("api_tokens.find { it.id == '" + id + "' }.note", equalTo("for the pipeline"));
        as(own).get("/hub/api/users/tok-owner/tokens/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("$", not(hasKey("token")))
                .body("last_activity", notNullValue());
        as(own).delete("/hub/api/users/tok-owner/tokens/" + id).then().statusCode(204);
        as(secret).get("/hub/api/user").then().statusCode(403);
        as(own).get("/hub/api/users/tok-owner/tokens/" + id).then().statusCode(404);
        as(own).delete("/hub/api/users/tok-owner/tokens/" + id).then().statusCode(404);
    }

    @Test
    void defaultsAsJupyterHub() {
        String own = userWithToken("tok-defaults");
        as(own).post("/hub/api/users/tok-defaults/tokens").then().statusCode(201)
                .body("note", equalTo("Requested via api"))
                .body("expires_at", nullValue())
                .body("scopes", org.hamcrest.Matchers.hasItem("inherit"));
        admin().post("/hub/api/users/tok-defaults/tokens").then().statusCode(201)
                .body("note", startsWith("Requested via api by service"));
        as(own).body(Map.of("note", "")).post("/hub/api/users/tok-defaults/tokens").then().statusCode(201)
                .body("note", equalTo("Requested via api"));
    }

    @Test
    void badRequests() {
        String own = userWithToken("tok-bad");
        String path = "/hub/api/users/tok-bad/tokens";
        as(own).body(Map.of("expires_in", "soon")).post(path).then().statusCode(400).body("message", containsString("expires_in"));
        as(own).body(Map.of("expires_in", 1.5)).post(path).then().statusCode(400);
        as(own).body(Map.of("expires_in", -5)).post(path).then().statusCode(400);
        as(own).body(Map.of("scopes", "read:users")).post(path).then().statusCode(400);
        as(own).body(Map.of("scopes", List.of("no-such-scope"))).post(path).then().statusCode(400);
        as(own).body(Map.of("roles", List.of("no-such-role"))).post(path).then().statusCode(400);
        as(own).body(Map.of("note", 5)).post(path).then().statusCode(400);
        as(own).body("{\"note\": ").post(path).then().statusCode(400).body("status", equalTo(400));
        // Trailing data is an error, as for Python's json.loads, not ignored.
        as(own).body("{\"note\": \"x\"}}").post(path).then().statusCode(400).body("message", startsWith("Invalid JSON"));
        as(own).body("{\"note\": \"x\"} {\"note\": \"y\"}").post(path).then().statusCode(400);
        as(own).get(path + "/nope").then().statusCode(404);
        as(own).get(path + "/a99999999").then().statusCode(404).body("message", containsString("a99999999"));
        as(own).get(path + "/a").then().statusCode(404);
        as(own).delete(path + "/b12").then().statusCode(404);
    }

    @Test
    void aNoteLongerThanItsColumnIsA400() {
        String own = userWithToken("tok-note@example.com");
        String path = "/hub/api/users/tok-note@example.com/tokens";
        as(own).body(Map.of("note", "n".repeat(1025))).post(path).then().statusCode(400)
                .body("status", equalTo(400))
                .body("message", equalTo("token note is too long: 1025 characters, at most 1024"));
        as(own).body(Map.of("note", "n".repeat(1024))).post(path).then().statusCode(201);
        // Counted in UTF-16 units, as H2 counts them: an emoji takes two.
        as(own).body(Map.of("note", "\uD83D\uDE80".repeat(512))).post(path).then().statusCode(201);
        as(own).body(Map.of("note", "\uD83D\uDE80".repeat(513))).post(path).then().statusCode(400);
    }

    @Test
    void expiresInIsAPositiveIntegerOfAtMostAHundredYears() {
        String own = userWithToken("tok-expiry@example.com");
        String path = "/hub/api/users/tok-expiry@example.com/tokens";
        for (String huge : List.of("9223372036854775807", "100000000000000", "3155760001")) {
            as(own).body("{\"expires_in\": " + huge + "}").post(path).then().statusCode(400)
                    .body("status", equalTo(400))
                    .body("message", equalTo("token expires_in: " + huge + " must not exceed 3155760000 (100 years)"));
        }
        for (String notAnInteger : List.of("1e17", "1e14", "99999999999999999999999", "\"3600\"", "true", "[]", "3600.5")) {
            as(own).body("{\"expires_in\": " + notAnInteger + "}").post(path).then().statusCode(400)
                    .body("message", startsWith("token expires_in must be null or integer"));
        }
        for (String notPositive : List.of("0", "-1", "-9223372036854775808")) {
            as(own).body("{\"expires_in\": " + notPositive + "}").post(path).then().statusCode(400)
                    .body("message", startsWith("token expires_in must be positive"));
        }
        JsonPath longest = as(own).body("{\"expires_in\": 3155760000}").post(path).then().statusCode(201).extract().jsonPath();
        assertEquals(Duration.ofSeconds(3155760000L), Duration.between(Instant.parse(longest.getString("created")),
                Instant.parse(longest.getString("expires_at"))));
    }

    @Test
    void malformedScopesAndFiltersAreA400() {
        String own = userWithToken("tok-scopes@example.com");
        String path = "/hub/api/users/tok-scopes@example.com/tokens";
        as(own).body(Map.of("scopes", List.of("read:users!server=x"))).post(path).then().statusCode(400)
                .body("status", equalTo(400)).body("message", containsString("!server= names a user's server as <user>/<server>"));
        as(own).body(Map.of("scopes", List.of("bogus"))).post(path).then().statusCode(400)
                .body("message", startsWith("Unrecognized scope 'bogus'"));
        for (String malformed : List.of("read:users!server=/x", "read:users!server=", "read:users!user=", "read:users!group",
                "read:users!planet=mars", "self!user=x", "inherit!user=x", "",
                "!user=x", "read:users!!user=x")) {
            as(own).body(Map.of("scopes", List.of(malformed))).post(path).then().statusCode(400)
                    .body("status", equalTo(400)).body("message", startsWith("Unrecognized scope"));
        }
        // A filter naming a user whose name has a space is read, as the identity a narrowed token carries.
        admin().post("/hub/api/users/first last@example.com").then().statusCode(201);
        String spaced = admin().body(Map.of("scopes", List.of("servers!user"))).post("/hub/api/users/first last@example.com/tokens")
                .then().statusCode(201).extract().path("token");
        as(spaced).get("/hub/api/user").then().statusCode(200).body("name", equalTo("first last@example.com"));
        // Scopes are stored as a list, so a filter may name that user explicitly too.
        String named = admin().body(Map.of("scopes", List.of("read:users!user=first last@example.com")))
                .post("/hub/api/users/first last@example.com/tokens").then().statusCode(201).extract().path("token");
        as(named).get("/hub/api/users/first last@example.com").then().statusCode(200);
        // Well-formed filters still work, the default server's included.
        as(own).body(Map.of("scopes", List.of("read:servers!server=tok-scopes@example.com/", "servers!user",
                "access:servers!server=tok-scopes@example.com/gpu"))).post(path).then().statusCode(201);
    }

    @Test
    void scopesCannotExceedTheOwners() {
        String own = userWithToken("tok-limited");
        admin().post("/hub/api/users/tok-other").then().statusCode(201);
        as(own).body(Map.of("scopes", List.of("admin:users"))).post("/hub/api/users/tok-limited/tokens").then().statusCode(403)
                .body("message", containsString("admin:users"));
        as(own).body(Map.of("scopes", List.of("read:users!user=tok-other"))).post("/hub/api/users/tok-limited/tokens").then()
                .statusCode(403);
        as(own).body(Map.of("roles", List.of("admin"))).post("/hub/api/users/tok-limited/tokens").then().statusCode(403);
        // Nor for another user, even one that does not exist (403 either way, as JupyterHub).
        as(own).post("/hub/api/users/tok-other/tokens").then().statusCode(403)
                .body("message", equalTo("User tok-other not found or no permissions to generate tokens"));
        as(own).post("/hub/api/users/tok-nobody/tokens").then().statusCode(403);
        // Listing is checked by the scope filter: another user's tokens are hidden (404), as JupyterHub.
        as(own).get("/hub/api/users/tok-other/tokens").then().statusCode(404);
        // An admin may give an admin user's token admin scopes.
        String adminToken = userWithToken("tok-admin", true, Map.of());
        as(adminToken).body(Map.of("scopes", List.of("admin:users"))).post("/hub/api/users/tok-admin/tokens").then().statusCode(201);
        // A narrowed token can read but not write.
        String narrow = as(own).body(Map.of("scopes", List.of("read:users!user=tok-limited")))
                .post("/hub/api/users/tok-limited/tokens").then().statusCode(201).extract().path("token");
        as(narrow).get("/hub/api/users/tok-limited").then().statusCode(200);
        as(narrow).post("/hub/api/users/tok-limited/server").then().statusCode(403);
        as(narrow).post("/hub/api/users/tok-limited/tokens").then().statusCode(403);
    }

    @Test
    void anExpiredTokenStopsWorking() throws Exception {
        String own = userWithToken("tok-expiring");
        String shortLived = as(own).body(Map.of("expires_in", 1)).post("/hub/api/users/tok-expiring/tokens").then()
                .statusCode(201).extract().path("token");
        as(shortLived).get("/hub/api/user").then().statusCode(200);
        Thread.sleep(1200);
        as(shortLived).get("/hub/api/user").then().statusCode(403);
        List<String> notes = as(own).get("/hub/api/users/tok-expiring/tokens").then().statusCode(200)
                .extract().path("api_tokens.note");
        assertTrue(notes.stream().noneMatch(n -> n.contains("expir")), notes.toString());
    }
}
