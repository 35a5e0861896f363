package io.ganymede.hub.auth.iap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AccessPolicy;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Identity;
import io.ganymede.hub.auth.MutableClock;
import io.ganymede.hub.auth.TestJwksServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IapVerifierTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Vertx vertx;
    private static WebClient client;

    private TestJwksServer jwks;
    private MutableClock clock;
    private EllipticCurveJsonWebKey key;
    private IapVerifier verifier;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stopVertx() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void setUp() throws Exception {
        jwks = new TestJwksServer();
        key = IapTokens.newKey("key-1");
        jwks.publish(List.of(key));
        clock = new MutableClock(Instant.now());
        verifier = verifier(AccessPolicy.OPEN);
    }

    @AfterEach
    void tearDown() {
        jwks.close();
    }

    private IapVerifier verifier(AccessPolicy policy) {
        return new IapVerifier(settings(Set.of(IapTokens.AUDIENCE), policy), client, clock);
    }

    private IapSettings settings(Set<String> audiences, AccessPolicy policy) {
        return new IapSettings(jwks.url(), audiences, IapTokens.ISSUER, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofHours(1), policy);
    }

    private Identity verify(String token) {
        return verifier.verify(token).await().atMost(WAIT);
    }

    private String token(Consumer<JwtClaims> change) throws Exception {
        JwtClaims claims = IapTokens.claims(clock.instant(), "alice@example.com");
        change.accept(claims);
        return IapTokens.sign(claims, key);
    }

    /** Refused, with a reason that carries no part of the token: the reason goes to the log. */
    private void assertRejected(String token) {
        String reason = assertThrows(AuthenticationFailedException.class, () -> verify(token)).getMessage();
        if (token != null) {
            for (String part : token.split("\\.")) {
                assertFalse(part.length() >= 8 && reason.contains(part), "the reason quotes the token: " + reason);
            }
        }
        assertFalse(reason.contains("eyJ"), reason);
    }

    @Test
    void validAssertionGivesTheIdentity() throws Exception {
        Identity identity = verify(token(c -> {}));
        assertEquals(new Identity("alice@example.com", "alice@example.com", Set.of(), Identity.Source.IAP), identity);
    }

    @Test
    void emailIsMappedToALowerCaseName() throws Exception {
        Identity identity = verify(token(c -> c.setClaim("email", "Alice.Smith@Example.COM")));
        assertEquals("alice.smith@example.com", identity.username());
    }

    @Test
    void anyConfiguredAudienceIsAccepted() throws Exception {
        verifier = new IapVerifier(settings(Set.of("/projects/1/global/backendServices/2", IapTokens.AUDIENCE),
                AccessPolicy.OPEN), client, clock);
        assertEquals("alice@example.com", verify(token(c -> {})).username());
    }

    @Test
    void forgedSignatureIsRejected() throws Exception {
        EllipticCurveJsonWebKey forger = IapTokens.newKey("key-1");
        assertRejected(IapTokens.sign(IapTokens.claims(clock.instant(), "alice@example.com"), forger));
    }

    @Test
    void tamperedPayloadIsRejected() throws Exception {
        String[] parts = token(c -> {}).split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("alice@example.com", "admin@example.com");
        parts[1] = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        assertRejected(String.join(".", parts));
    }

    @Test
    void unknownKeyIdIsRejectedAfterOneRefresh() throws Exception {
        verify(token(c -> {}));
        assertEquals(1, jwks.fetches());
        clock.advance(Duration.ofSeconds(31));
        EllipticCurveJsonWebKey stranger = IapTokens.newKey("key-unknown");
        assertRejected(IapTokens.sign(IapTokens.claims(clock.instant(), "alice@example.com"), stranger));
        assertEquals(2, jwks.fetches(), "an unknown kid causes one refresh");
    }

    @Test
    void wrongAudienceIsRejected() throws Exception {
        assertRejected(token(c -> c.setAudience("/projects/123456789/global/backendServices/1")));
    }

    @Test
    void wrongIssuerIsRejected() throws Exception {
        assertRejected(token(c -> c.setIssuer("https://accounts.google.com")));
    }

    @Test
    void missingAudienceIsRejected() throws Exception {
        assertRejected(token(c -> c.unsetClaim("aud")));
    }

    @Test
    void expiredBeyondSkewIsRejected() throws Exception {
        Instant now = clock.instant();
        assertRejected(token(c -> {
            c.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond() - 700));
            c.setExpirationTime(NumericDate.fromSeconds(now.getEpochSecond() - 60));
        }));
    }

    @Test
    void expiredWithinSkewIsAccepted() throws Exception {
        Instant now = clock.instant();
        Identity identity = verify(token(c -> {
            c.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond() - 610));
            c.setExpirationTime(NumericDate.fromSeconds(now.getEpochSecond() - 10));
        }));
        assertEquals("alice@example.com", identity.username());
    }

    @Test
    void missingExpiryIsRejected() throws Exception {
        assertRejected(token(c -> c.unsetClaim("exp")));
    }

    @Test
    void issuedInTheFutureBeyondSkewIsRejected() throws Exception {
        Instant now = clock.instant();
        assertRejected(token(c -> {
            c.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond() + 120));
            c.setExpirationTime(NumericDate.fromSeconds(now.getEpochSecond() + 720));
        }));
    }

    @Test
    void issuedInTheFutureWithinSkewIsAccepted() throws Exception {
        Instant now = clock.instant();
        Identity identity = verify(token(c -> c.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond() + 10))));
        assertEquals("alice@example.com", identity.username());
    }

    @Test
    void notBeforeInTheFutureBeyondSkewIsRejected() throws Exception {
        Instant now = clock.instant();
        assertRejected(token(c -> c.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond() + 120))));
    }

    @Test
    void missingIssuedAtIsRejected() throws Exception {
        assertRejected(token(c -> c.unsetClaim("iat")));
    }

    @Test
    void algNoneIsRejected() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(IapTokens.claims(clock.instant(), "alice@example.com").toJson());
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setKeyIdHeaderValue("key-1");
        assertRejected(jws.getCompactSerialization());
        assertEquals(0, jwks.fetches(), "an unsigned token never reaches the key cache");
    }

    @Test
    void hmacSignedWithThePublicKeyIsRejected() throws Exception {
        byte[] publicKeyBytes = key.getPublicKey().getEncoded();
        byte[] publicJwkBytes = key.toJson().getBytes(StandardCharsets.UTF_8);
        for (byte[] secret : List.of(publicKeyBytes, publicJwkBytes)) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(IapTokens.claims(clock.instant(), "alice@example.com").toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKeyIdHeaderValue("key-1");
            jws.setKey(new HmacKey(secret));
            assertRejected(jws.getCompactSerialization());
        }
    }

    @Test
    void garbageIsRejected() {
        for (String garbage : List.of("", " ", "garbage", "a.b.c", "a.b", "....", "eyJhbGciOiJFUzI1NiJ9.e30.")) {
            assertRejected(garbage);
        }
        assertRejected(null);
    }

    @Test
    void missingEmailIsRejected() throws Exception {
        assertRejected(token(c -> c.unsetClaim("email")));
    }

    @Test
    void missingSubjectIsRejected() throws Exception {
        assertRejected(token(c -> c.unsetClaim("sub")));
    }

    @Test
    void noConfiguredAudienceRejectsEverything() throws Exception {
        verifier = new IapVerifier(settings(Set.of(), AccessPolicy.OPEN), client, clock);
        assertRejected(token(c -> {}));
    }

    @Test
    void rotatedKeyCausesExactlyOneFetch() throws Exception {
        verify(token(c -> {}));
        assertEquals(1, jwks.fetches());

        EllipticCurveJsonWebKey next = IapTokens.newKey("key-2");
        jwks.publish(List.of(key, next));
        clock.advance(Duration.ofMinutes(5));
        String rotated = IapTokens.sign(IapTokens.claims(clock.instant(), "bob@example.com"), next);
        assertEquals("bob@example.com", verify(rotated).username());
        assertEquals(2, jwks.fetches());

        verify(rotated);
        verify(token(c -> {}));
        assertEquals(2, jwks.fetches(), "known keys are served from the cache");
    }

    @Test
    void burstOfUnknownKeyIdsFetchesAtMostOncePerInterval() throws Exception {
        verify(token(c -> {}));
        clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 50; i++) {
            EllipticCurveJsonWebKey stranger = IapTokens.newKey("made-up-" + i);
            assertRejected(IapTokens.sign(IapTokens.claims(clock.instant(), "eve@example.com"), stranger));
            clock.advance(Duration.ofMillis(100));
        }
        assertEquals(2, jwks.fetches(), "fifty unknown kids within the interval cause one refresh");

        clock.advance(Duration.ofSeconds(30));
        assertRejected(IapTokens.sign(IapTokens.claims(clock.instant(), "eve@example.com"), IapTokens.newKey("x")));
        assertEquals(3, jwks.fetches(), "after the interval one more refresh is allowed");
    }

    @Test
    void concurrentFirstRequestsShareOneFetch() throws Exception {
        List<Uni<Identity>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(verifier.verify(token(c -> {})));
        }
        List<Identity> identities = Uni.join().all(pending).andFailFast().await().atMost(WAIT);
        assertEquals(20, identities.size());
        assertEquals(1, jwks.fetches());
    }

    @Test
    void keysOlderThanMaxAgeAreFetchedAgain() throws Exception {
        verify(token(c -> {}));
        clock.advance(Duration.ofMinutes(61));
        verify(token(c -> {}));
        assertEquals(2, jwks.fetches());
    }

    @Test
    void withdrawnKeyStopsBeingTrustedAfterMaxAge() throws Exception {
        String old = token(c -> c.setExpirationTime(NumericDate.fromSeconds(clock.instant().getEpochSecond() + 7200)));
        verify(old);
        jwks.publish(List.of(IapTokens.newKey("key-2")));
        clock.advance(Duration.ofMinutes(61));
        assertRejected(old);
    }

    @Test
    void unreachableKeysFailTheRequest() throws Exception {
        jwks.fail(503);
        assertRejected(token(c -> {}));
    }

    @Test
    void failedRefreshKeepsThePreviousKeys() throws Exception {
        verify(token(c -> {}));
        jwks.fail(500);
        clock.advance(Duration.ofMinutes(61));
        assertEquals("alice@example.com", verify(token(c -> {})).username());
        assertEquals(2, jwks.fetches());
    }

    @Test
    void allowedDomainUsesHostedDomainClaimFirst() throws Exception {
        verifier = verifier(new AccessPolicy(Set.of("example.com"), Set.of(), Set.of()));
        assertEquals("alice@example.com", verify(token(c -> c.setClaim("hd", "example.com"))).username());
        assertThrows(AccessDeniedException.class, () -> verify(token(c -> c.setClaim("hd", "other.org"))));
        assertThrows(AccessDeniedException.class, () -> verify(token(c -> c.setClaim("email", "eve@evil.com"))));
    }

    @Test
    void unmappableEmailIsRefused() throws Exception {
        assertThrows(AccessDeniedException.class, () -> verify(token(c -> c.setClaim("email", "a/b@example.com"))));
    }

    @Test
    void nonStringEmailClaimIsRejected() throws Exception {
        assertRejected(token(c -> c.setClaim("email", Map.of("x", 1))));
    }
}
