package io.ganymede.hub.auth.iap;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.tokens.Secrets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Every kind of refused assertion is logged with its reason and a fingerprint, never with any
 * part of the assertion: a validly signed one (as after a key rotation the hub has not fetched
 * yet) could be replayed from the log until it expires.
 */
@QuarkusTest
@TestProfile(IapRefusalLogTest.Profile.class)
class IapRefusalLogTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A long least refresh interval: a key published after the first fetch stays unknown.
            return Map.of("ganymede.auth.mode", "iap",
                    "ganymede.auth.iap.audiences", IapTokens.AUDIENCE,
                    "ganymede.auth.iap.jwks-min-refresh-interval", "1h");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IapModeTest.Jwks.class));
        }
    }

    private static final String USER = "o'brien+test@example.com";

    @Test
    void refusalsAreLoggedByFingerprintNeverWithTheAssertion() throws Exception {
        EllipticCurveJsonWebKey key = IapTokens.newKey("key-1");
        IapModeTest.Jwks.server.publish(List.of(key));
        given().header(IapRequestAuthenticator.ASSERTION_HEADER, IapTokens.sign(IapTokens.claims(Instant.now(), USER), key))
                .get("/hub/api/user").then().statusCode(200);
        // Google rotates: the next key is published, but the hub fetched a moment ago.
        EllipticCurveJsonWebKey next = IapTokens.newKey("key-2");
        IapModeTest.Jwks.server.publish(List.of(key, next));

        long now = Instant.now().getEpochSecond();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("signed by a key published after the last fetch",
                IapTokens.sign(IapTokens.claims(Instant.now(), USER), next));
        refused.put("bad signature", IapTokens.sign(IapTokens.claims(Instant.now(), USER), IapTokens.newKey("key-1")));
        refused.put("unknown kid", IapTokens.sign(IapTokens.claims(Instant.now(), USER), IapTokens.newKey("key-x")));
        JwtClaims expired = IapTokens.claims(Instant.now(), USER);
        expired.setIssuedAt(NumericDate.fromSeconds(now - 1200));
        expired.setExpirationTime(NumericDate.fromSeconds(now - 600));
        refused.put("expired", IapTokens.sign(expired, key));
        JwtClaims elsewhere = IapTokens.claims(Instant.now(), USER);
        elsewhere.setAudience("/projects/1/global/backendServices/2");
        refused.put("wrong audience", IapTokens.sign(elsewhere, key));
        refused.put("malformed claims", signedPayload("{\"email\": \"" + USER + "\", not json", key));
        refused.put("not a JWT", "eyJub3QganNvbg." + base64("{\"email\":\"" + USER + "\"}") + ".c2lnbmF0dXJl");
        Map<String, String> reasons = Map.of(
                "signed by a key published after the last fetch", "key id",
                "bad signature", "signature",
                "unknown kid", "key id",
                "expired", "Expiration",
                "wrong audience", "Audience",
                "malformed claims", "JSON",
                "not a JWT", "not a JWT");

        for (var entry : refused.entrySet()) {
            String assertion = entry.getValue();
            String log = logged(() -> given().header(IapRequestAuthenticator.ASSERTION_HEADER, assertion)
                    .get("/hub/api/user").then().statusCode(401));
            String what = entry.getKey() + ": " + log;
            assertTrue(log.contains("IAP refused GET /hub/api/user"), what);
            assertTrue(log.contains(Secrets.fingerprint(assertion)), what);
            assertTrue(log.contains(reasons.get(entry.getKey())), what);
            for (String part : assertion.split("\\.")) {
                assertFalse(log.contains(part), entry.getKey() + " logs a part of the assertion: " + log);
            }
            assertFalse(log.contains("eyJ"), what);
            assertFalse(log.contains("claims->"), what);
        }
        // No assertion at all: the line says so.
        String log = logged(() -> given().get("/hub/api/user").then().statusCode(401));
        assertTrue(log.contains("(assertion none)"), log);
    }

    private static String signedPayload(String payload, EllipticCurveJsonWebKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** What {@link IapGate} logs while the request runs; it logs before it answers. */
    private static String logged(Runnable request) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger gateLog = Logger.getLogger(IapGate.class.getName());
        gateLog.addHandler(capture);
        try {
            request.run();
        } finally {
            gateLog.removeHandler(capture);
        }
        assertEquals(1, lines.size(), "one line per refusal: " + lines);
        return lines.get(0);
    }
}
