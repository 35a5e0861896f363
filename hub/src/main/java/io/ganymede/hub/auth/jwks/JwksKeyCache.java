package io.ganymede.hub.auth.jwks;

import io.ganymede.hub.auth.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * The signing keys published at one JWKS URL, fetched without blocking and cached.
 *
 * <p>Providers rotate keys: a token whose {@code kid} is not cached triggers a refresh, but at most
 * one fetch per {@code minRefreshInterval}, so a flood of tokens with made-up key ids cannot turn
 * the hub into a load generator against the provider. Concurrent callers share one fetch. Keys
 * older than {@code maxAge} are fetched again on next use, so a key the provider withdrew stops
 * being trusted. When a fetch fails the previous keys stay in use.
 */
public final class JwksKeyCache {

    private static final Logger LOG = Logger.getLogger(JwksKeyCache.class);
    private static final long FETCH_TIMEOUT_MILLIS = 10_000;

    private final WebClient client;
    private final String url;
    private final Duration minRefreshInterval;
    private final Duration maxAge;
    private final Clock clock;

    // All guarded by this.
    private List<JsonWebKey> keys = List.of();
    private Instant fetchedAt;
    private Instant lastAttempt;
    private CompletableFuture<List<JsonWebKey>> inFlight;

    public JwksKeyCache(WebClient client, String url, Duration minRefreshInterval, Duration maxAge, Clock clock) {
        this.client = client;
        this.url = url;
        this.minRefreshInterval = minRefreshInterval;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * The cached keys, refreshed first if {@code kid} is unknown or the keys are too old and the
     * refresh rate allows it. The list may still lack {@code kid}: the caller's verification then
     * fails, which is the intended answer to an unknown key.
     */
    public Uni<List<JsonWebKey>> keysFor(String kid) {
        return Uni.createFrom().completionStage(() -> keysStage(kid));
    }

    private synchronized CompletionStage<List<JsonWebKey>> keysStage(String kid) {
        Instant now = clock.instant();
        boolean fresh = fetchedAt != null && now.isBefore(fetchedAt.plus(maxAge));
        if (fresh && (kid == null || hasKid(kid))) {
            return CompletableFuture.completedFuture(keys);
        }
        if (inFlight != null) {
            return inFlight;
        }
        boolean mayFetch = lastAttempt == null || !now.isBefore(lastAttempt.plus(minRefreshInterval));
        if (!mayFetch) {
            return CompletableFuture.completedFuture(keys);
        }
        lastAttempt = now;
        CompletableFuture<List<JsonWebKey>> result = new CompletableFuture<>();
        inFlight = result;
        CompletionStage<List<JsonWebKey>> fetched;
        try {
            fetched = fetch();
        } catch (RuntimeException e) {
            // A malformed URL fails before any I/O; it must still clear inFlight.
            fetched = CompletableFuture.failedFuture(e);
        }
        fetched.whenComplete((keys, error) -> finish(result, keys, error));
        return result;
    }

    private void finish(CompletableFuture<List<JsonWebKey>> result, List<JsonWebKey> fetched, Throwable error) {
        List<JsonWebKey> current;
        synchronized (this) {
            inFlight = null;
            if (error == null) {
                keys = fetched;
                fetchedAt = clock.instant();
            } else {
                LOG.warnf("could not fetch signing keys from %s: %s", url, error.getMessage());
            }
            current = keys;
        }
        if (error != null && current.isEmpty()) {
            result.completeExceptionally(new AuthenticationFailedException("signing keys unavailable from " + url, error));
        } else {
            result.complete(current);
        }
    }

    private CompletionStage<List<JsonWebKey>> fetch() {
        return client.getAbs(url).timeout(FETCH_TIMEOUT_MILLIS).send().toCompletionStage().thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            try {
                return List.copyOf(new JsonWebKeySet(response.bodyAsString()).getJsonWebKeys());
            } catch (JoseException e) {
                throw new IllegalStateException("not a JWK set: " + e.getMessage(), e);
            }
        });
    }

    private boolean hasKid(String kid) {
        return keys.stream().anyMatch(k -> kid.equals(k.getKeyId()));
    }
}
