package io.ganymede.hub.auth.iap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.auth.AccessPolicy;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.TestJwksServer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IapRequestAuthenticatorTest {

    private Vertx vertx;
    private TestJwksServer jwks;
    private EllipticCurveJsonWebKey key;
    private IapRequestAuthenticator authenticator;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        jwks = new TestJwksServer();
        key = IapTokens.newKey("k");
        jwks.publish(List.of(key));
        IapSettings settings = new IapSettings(jwks.url(), Set.of(IapTokens.AUDIENCE), IapTokens.ISSUER,
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofHours(1), AccessPolicy.OPEN);
        authenticator = new IapRequestAuthenticator(new IapVerifier(settings, WebClient.create(vertx), Clock.systemUTC()));
    }

    @AfterEach
    void tearDown() {
        jwks.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static Map<String, String> headers(Map<String, String> values) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(values);
        return headers;
    }

    @Test
    void signedAssertionHeaderAuthenticates() throws Exception {
        String token = IapTokens.sign(IapTokens.claims(Instant.now(), "carol@example.com"), key);
        Map<String, String> headers = headers(Map.of("X-Goog-IAP-JWT-Assertion", token));
        assertEquals("carol@example.com", authenticator.authenticate(headers::get).await().atMost(Duration.ofSeconds(10)).username());
    }

    @Test
    void missingHeaderFails() {
        Map<String, String> headers = headers(Map.of());
        assertThrows(AuthenticationFailedException.class,
                () -> authenticator.authenticate(headers::get).await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void unsignedEmailHeaderAloneIsNeverTrusted() {
        Map<String, String> headers = headers(Map.of(
                "x-goog-authenticated-user-email", "accounts.google.com:alice@example.com",
                "x-goog-authenticated-user-id", "accounts.google.com:1234"));
        assertThrows(AuthenticationFailedException.class,
                () -> authenticator.authenticate(headers::get).await().atMost(Duration.ofSeconds(10)));
        assertEquals(0, jwks.fetches());
    }

    @Test
    void unsignedEmailHeaderDoesNotOverrideTheAssertion() throws Exception {
        String token = IapTokens.sign(IapTokens.claims(Instant.now(), "carol@example.com"), key);
        Map<String, String> headers = headers(Map.of(
                IapRequestAuthenticator.ASSERTION_HEADER, token,
                "x-goog-authenticated-user-email", "accounts.google.com:admin@example.com"));
        assertEquals("carol@example.com", authenticator.authenticate(headers::get).await().atMost(Duration.ofSeconds(10)).username());
    }

    @Test
    void healthAndMetricsPathsAreExempt() {
        for (String path : List.of("/hub/health", "/hub/health/ready", "/q/health", "/q/health/live", "/q/metrics", "/hub/metrics")) {
            assertTrue(IapRequestAuthenticator.isExempt(path), path);
        }
    }

    @Test
    void otherPathsAreNotExempt() {
        for (String path : List.of("/", "/hub/", "/hub/api/users", "/hub/healthy", "/q/metricsx", "/user/alice/hub/health", "/hub", "")) {
            assertFalse(IapRequestAuthenticator.isExempt(path), path);
        }
        assertFalse(IapRequestAuthenticator.isExempt(null));
    }
}
