package io.ganymede.hub.auth.iap;

import static io.ganymede.hub.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.Api;
import io.ganymede.hub.auth.TestJwksServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole hub in IAP mode, verifying assertions against a JWKS served on loopback. */
@QuarkusTest
@TestProfile(IapModeTest.Profile.class)
class IapModeTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ganymede.auth.mode", "iap",
                    "ganymede.auth.iap.audiences", IapTokens.AUDIENCE,
                    "ganymede.auth.iap.jwks-min-refresh-interval", "3s",
                    "ganymede.auth.admin-users", "boss@example.com");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Jwks.class));
        }
    }

    /** The JWKS server must be up before the hub starts, since its URL is configuration. */
    public static class Jwks implements QuarkusTestResourceLifecycleManager {
        static TestJwksServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = new TestJwksServer();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("ganymede.auth.iap.jwks-url", server.url());
        }

        @Override
        public void stop() {
            server.close();
        }
    }

    private static EllipticCurveJsonWebKey key;

    @BeforeEach
    void keys() throws Exception {
        if (key == null) {
            key = IapTokens.newKey("key-1");
            Jwks.server.publish(List.of(key));
        }
    }

    private static RequestSpecification through(String assertion) {
        return given().redirects().follow(false).header(IapRequestAuthenticator.ASSERTION_HEADER, assertion);
    }

    private static String assertion(String email, Consumer<JwtClaims> change) throws Exception {
        JwtClaims claims = IapTokens.claims(Instant.now(), email);
        change.accept(claims);
        return IapTokens.sign(claims, key);
    }

    private static String assertion(String email) throws Exception {
        return assertion(email, c -> { });
    }

    private static void assertNoUser(String name) {
        admin().get("/hub/api/users/" + name).then().statusCode(404);
    }

    @Test
    void aValidAssertionSignsInTheRightUserCreatedOnFirstUse() throws Exception {
        assertNoUser("ada@example.com");
        through(assertion("Ada@Example.com")).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo("ada@example.com")).body("kind", equalTo("user")).body("admin", equalTo(false));
        admin().get("/hub/api/users/ada@example.com").then().statusCode(200);
        // A listed admin is an admin from the first request on.
        through(assertion("boss@example.com")).get("/hub/api/user").then().statusCode(200).body("admin", equalTo(true));
        // Pages too: the home page answers without any hub cookie.
        through(assertion("ada@example.com")).get("/hub/home").then().statusCode(200);
    }

    @Test
    void everyBadAssertionIs401AndCreatesNoUser() throws Exception {
        String victim = "mallory@example.com";
        EllipticCurveJsonWebKey other = IapTokens.newKey("key-1");
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(IapTokens.claims(Instant.now(), victim).toJson());
        none.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setKeyIdHeaderValue("key-1");
        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(IapTokens.claims(Instant.now(), victim).toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKeyIdHeaderValue("key-1");
        hmac.setKey(new HmacKey(key.getPublicKey().getEncoded()));
        long now = Instant.now().getEpochSecond();
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("forged signature", IapTokens.sign(IapTokens.claims(Instant.now(), victim), other));
        bad.put("unknown kid", IapTokens.sign(IapTokens.claims(Instant.now(), victim), IapTokens.newKey("key-x")));
        bad.put("wrong aud", assertion(victim, c -> c.setAudience("/projects/1/global/backendServices/2")));
        bad.put("wrong iss", assertion(victim, c -> c.setIssuer("https://evil.example.com")));
        bad.put("expired", assertion(victim, c -> {
            c.setIssuedAt(NumericDate.fromSeconds(now - 1200));
            c.setExpirationTime(NumericDate.fromSeconds(now - 600));
        }));
        bad.put("not yet valid", assertion(victim, c -> {
            c.setIssuedAt(NumericDate.fromSeconds(now + 600));
            c.setNotBefore(NumericDate.fromSeconds(now + 600));
        }));
        bad.put("alg none", none.getCompactSerialization());
        bad.put("HS256 with the public key", hmac.getCompactSerialization());
        bad.put("garbage", "not.a.jwt");
        for (var entry : bad.entrySet()) {
            for (String path : List.of("/hub/api/user", "/hub/home", "/hub/api/oauth2/authorize?client_id=x")) {
                var response = through(entry.getValue()).get(path);
                assertEquals(401, response.statusCode(), entry.getKey() + " at " + path);
                assertEquals(401, (int) response.jsonPath().getInt("status"), entry.getKey());
            }
        }
        given().redirects().follow(false).get("/hub/api/user").then().statusCode(401);
        given().redirects().follow(false).get("/hub/home").then().statusCode(401);
        // The unsigned header IAP also sends is never enough.
        given().redirects().follow(false).header("x-goog-authenticated-user-email", "accounts.google.com:" + victim)
                .get("/hub/api/user").then().statusCode(401);
        assertNoUser(victim);
    }

    @Test
    void aRotatedKeyIsFetchedOnceAndUnknownKidsDoNotHammerTheJwks() throws Exception {
        through(assertion("rota@example.com")).get("/hub/api/user").then().statusCode(200);
        Thread.sleep(3_100); // past the least refresh interval since the last fetch
        EllipticCurveJsonWebKey next = IapTokens.newKey("key-2");
        Jwks.server.publish(List.of(key, next));
        int before = Jwks.server.fetches();
        String signedByNext = IapTokens.sign(IapTokens.claims(Instant.now(), "rota@example.com"), next);
        for (int i = 0; i < 3; i++) {
            through(signedByNext).get("/hub/api/user").then().statusCode(200).body("name", equalTo("rota@example.com"));
        }
        assertEquals(before + 1, Jwks.server.fetches(), "the new kid is fetched once");
        // Unknown kids within the least refresh interval cause no further fetch.
        String unknown = IapTokens.sign(IapTokens.claims(Instant.now(), "rota@example.com"), IapTokens.newKey("key-9"));
        for (int i = 0; i < 5; i++) {
            through(unknown).get("/hub/api/user").then().statusCode(401);
        }
        assertEquals(before + 1, Jwks.server.fetches(), "bounded refresh rate");
    }

    @Test
    void healthAndMetricsAreExempt() {
        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/hub/healthy").then().statusCode(401);
        given().get("/q/health/../../hub/api/user").then().statusCode(401);
    }

    /**
     * The API's description is not exempt: no load balancer needs it, and whoever may call the API
     * (through IAP, or with a hub token from inside the VPC) may read it.
     */
    @Test
    void theApiDescriptionIsBehindIapLikeTheApi() throws Exception {
        given().get("/q/openapi").then().statusCode(401);
        through(assertion("reader@example.com")).get("/q/openapi").then().statusCode(200);
        Api.admin().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void apiTokensWorkWithoutIap() {
        String token = Api.userWithToken("robot@example.com");
        Api.as(token).get("/hub/api/user").then().statusCode(200).body("name", equalTo("robot@example.com"));
        Api.as(token).get("/hub/api/users/robot@example.com").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo("robot@example.com"));
        given().queryParam("token", token).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo("robot@example.com"));
        Api.as(token).get("/hub/api/").then().statusCode(200);
        Api.as(token).get("/hub/static/ganymede.css").then().statusCode(200);
    }

    @Test
    void aTokenThatIsNoHubTokenOpensNothingWithoutAnAssertion() {
        for (String path : List.of("/hub/api/", "/hub/static/ganymede.css", "/hub/api/users", "/hub/api/user", "/hub/home")) {
            for (var request : Map.<String, RequestSpecification>of(
                    "token x", given().header("Authorization", "token x"),
                    "Bearer", given().header("Authorization", "Bearer nope-nope-nope-nope"),
                    "?token=", given().queryParam("token", "nope-nope-nope-nope")).entrySet()) {
                var response = request.getValue().redirects().follow(false).get(path);
                assertEquals(401, response.statusCode(), request.getKey() + " at " + path);
                assertEquals(401, (int) response.jsonPath().getInt("status"), request.getKey() + " at " + path);
            }
        }
    }

    @Test
    void aGoogleIdTokenBesideTheAssertionLeavesTheDecisionToTheAssertion() throws Exception {
        // IAP's programmatic access: the pipeline's Google-signed ID token stays in Authorization.
        String user = "o'brien+test@example.com";
        String idToken = IapTokens.sign(IapTokens.claims(Instant.now(), "pipeline@project.iam.gserviceaccount.com"),
                IapTokens.newKey("google-1"));
        RequestSpecification pipeline = through(assertion(user)).header("Authorization", "Bearer " + idToken);
        pipeline.get("/hub/api/user").then().statusCode(200).body("name", equalTo(user)).body("kind", equalTo("user"));
        // No cross-site page can set Authorization, so changes need no XSRF token.
        through(assertion(user)).header("Authorization", "Bearer " + idToken).contentType("application/json").body("{}")
                .post("/hub/api/users/" + user + "/tokens").then().statusCode(201);
        // A ?token= can come from a cross-site form beside the browser's IAP cookie: XSRF still applies.
        through(assertion(user)).queryParam("token", "nope-nope-nope-nope").contentType("application/json").body("{}")
                .post("/hub/api/users/" + user + "/tokens")
                .then().statusCode(403).body("message", equalTo("'_xsrf' argument missing from POST"));
        // The ID token alone, or beside a bad assertion, is nothing.
        given().header("Authorization", "Bearer " + idToken).get("/hub/api/user").then().statusCode(401);
        through("not.a.jwt").header("Authorization", "Bearer " + idToken).get("/hub/api/user").then().statusCode(401);
    }

    @Test
    void aHubTokenOutvotesTheAssertionOfAnotherUser() throws Exception {
        String alice = "alice@example.com";
        String other = "o'brien+test@example.com";
        through(assertion(other)).get("/hub/api/users/" + other).then().statusCode(200);
        String token = Api.userWithToken(alice, false, Map.of("scopes", List.of("read:users!user=" + alice)));
        through(assertion(other)).header("Authorization", "token " + token).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo(alice));
        // The token's scopes, not the assertion's user's: it cannot read the other user.
        int status = through(assertion(other)).header("Authorization", "token " + token).get("/hub/api/users/" + other)
                .statusCode();
        assertTrue(status == 403 || status == 404, "the token's scopes apply: " + status);
        // Not even a bad assertion stops a valid hub token.
        through("not.a.jwt").header("Authorization", "Bearer " + token).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo(alice));
    }

    @Test
    void changesSignedInByIapNeedTheXsrfToken() throws Exception {
        String ada = assertion("xavier@example.com");
        through(ada).get("/hub/api/user").then().statusCode(200);
        through(ada).contentType("application/json").body("{}").post("/hub/api/users/xavier@example.com/tokens")
                .then().statusCode(403).body("message", equalTo("'_xsrf' argument missing from POST"));
        through(ada).cookie("_xsrf", "abc").header("X-XSRFToken", "abc").contentType("application/json").body("{}")
                .post("/hub/api/users/xavier@example.com/tokens").then().statusCode(201);
    }

    @Test
    void theOAuthStepIsAuthenticatedByIapAndLogoutClearsIap() throws Exception {
        String who = assertion("olive@example.com");
        // Unknown client: the caller got past IAP (a 400 from the OAuth step, not a 401).
        through(who).get("/hub/api/oauth2/authorize?client_id=nope&response_type=code").then().statusCode(400);
        var logout = through(who).get("/hub/logout");
        assertEquals(302, logout.statusCode());
        assertTrue(logout.header("Location").endsWith("/_gcp_iap/clear_login_cookie"), logout.header("Location"));
    }
}
