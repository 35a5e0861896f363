package io.ganymede.hub.auth.jwks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.MutableClock;
import io.ganymede.hub.auth.TestJwksServer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwksKeyCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Vertx vertx;
    private WebClient client;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
    }

    @AfterEach
    void tearDown() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private JwksKeyCache cache(String url) {
        return new JwksKeyCache(client, url, Duration.ofSeconds(30), Duration.ofHours(1), clock);
    }

    @Test
    void malformedUrlFailsEveryTimeInsteadOfHanging() {
        JwksKeyCache cache = cache("not a url");
        assertThrows(AuthenticationFailedException.class, () -> cache.keysFor("k").await().atMost(WAIT));
        clock.advance(Duration.ofSeconds(31));
        assertThrows(AuthenticationFailedException.class, () -> cache.keysFor("k").await().atMost(WAIT));
    }

    @Test
    void notAKeySetIsAFailure() throws Exception {
        try (TestJwksServer server = new TestJwksServer()) {
            server.fail(200);
            assertThrows(AuthenticationFailedException.class, () -> cache(server.url()).keysFor("k").await().atMost(WAIT));
        }
    }

    @Test
    void tokensWithoutKeyIdUseTheCachedKeys() throws Exception {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId("k1");
        try (TestJwksServer server = new TestJwksServer()) {
            server.publish(List.of(key));
            JwksKeyCache cache = cache(server.url());
            assertEquals(1, cache.keysFor(null).await().atMost(WAIT).size());
            assertEquals(1, cache.keysFor(null).await().atMost(WAIT).size());
            assertEquals(1, server.fetches());
        }
    }
}
