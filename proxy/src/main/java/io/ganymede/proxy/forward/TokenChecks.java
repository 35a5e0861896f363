package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * Asks the hub whether an API token may use a gated route: {@code GET <access_check_url>?path=<route>}
 * with the token in {@code Authorization}, 200 meaning yes. Answers are kept for a few seconds, so
 * a pipeline's burst of requests costs the hub one check; the key is a SHA-256 of token and route,
 * so no token is held in memory longer than its request. A check in flight is shared by the
 * requests that need it. A hub that cannot answer is never taken for a yes, and that is not kept.
 */
final class TokenChecks {

    private static final System.Logger LOG = System.getLogger(TokenChecks.class.getName());
    static final Duration TTL = Duration.ofSeconds(5);
    static final int MAX_ENTRIES = 10_000;
    private static final long TIMEOUT_MILLIS = 10_000;

    /** What the hub said, as the proxy answers it: 200 passes, 403 refuses, 503 could not tell. */
    record Verdict(int status, String message) {
        boolean passes() {
            return status == 200;
        }
    }

    private record Entry(Future<Verdict> verdict, long expiresNanos) {}

    private final Vertx vertx;
    private final Duration ttl;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    /** Least recently used first; bounded, so a flood of made-up tokens cannot grow it. */
    private final LinkedHashMap<String, Entry> cache = new LinkedHashMap<>(64, 0.75f, true);
    private volatile HttpClient client;

    TokenChecks(Vertx vertx) {
        this(vertx, TTL, MAX_ENTRIES, System::nanoTime);
    }

    TokenChecks(Vertx vertx, Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.vertx = vertx;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /** The hub's verdict on {@code token} for {@code route}, which must have an access check URL. */
    Future<Verdict> check(String token, Route route) {
        String key = key(token, route);
        long now = nanoTime.getAsLong();
        Future<Verdict> verdict;
        synchronized (cache) {
            Entry entry = cache.get(key);
            if (entry != null && now - entry.expiresNanos() < 0) {
                return entry.verdict();
            }
            verdict = ask(token, route);
            cache.put(key, new Entry(verdict, now + ttl.toNanos()));
            if (cache.size() > maxEntries) {
                cache.remove(cache.keySet().iterator().next());
            }
        }
        // Only the hub's own answers are kept: after a failure the next request asks again.
        verdict.onSuccess(v -> {
            if (v.status() == 503) {
                forget(key, verdict);
            }
        });
        return verdict;
    }

    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private void forget(String key, Future<Verdict> verdict) {
        synchronized (cache) {
            Entry entry = cache.get(key);
            if (entry != null && entry.verdict() == verdict) {
                cache.remove(key);
            }
        }
    }

    private Future<Verdict> ask(String token, Route route) {
        String checkUrl = route.accessCheckUrl();
        String url = checkUrl + (checkUrl.contains("?") ? "&" : "?") + "path="
                + URLEncoder.encode(route.path(), StandardCharsets.UTF_8).replace("+", "%20");
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setTimeout(TIMEOUT_MILLIS).putHeader("Authorization", "token " + token)
                .putHeader("Accept", "application/json");
        return client().request(request)
                .compose(r -> r.send().compose(answer -> answer.body().map(body -> verdict(answer.statusCode(), body.toString(), route))))
                .recover(failure -> {
                    // The route and the cause only: the URL is the hub's, the token stays out of the log.
                    LOG.log(Level.WARNING, "token check for {0} failed: {1}", route.path(), failure.getMessage());
                    return Future.succeededFuture(unavailable());
                });
    }

    private static Verdict verdict(int status, String body, Route route) {
        if (status == 200) {
            return new Verdict(200, "");
        }
        if (status >= 400 && status < 500) {
            return new Verdict(403, refusalMessage(status, body, route));
        }
        LOG.log(Level.WARNING, "token check for {0}: the hub answered {1}", route.path(), status);
        return unavailable();
    }

    /** The hub's own reason for its 403 (which scope is missing); for other refusals a general one. */
    private static String refusalMessage(int status, String body, Route route) {
        if (status == 403) {
            try {
                String message = new JsonObject(body).getString("message");
                if (message != null && !message.isBlank()) {
                    return message;
                }
            } catch (RuntimeException notJson) {
                // fall through to the general reason
            }
        }
        return "This API token may not use " + route.path() + "/: it is invalid, expired or revoked,"
                + " or lacks the access scope for it";
    }

    static Verdict unavailable() {
        return new Verdict(503, "The hub cannot check API tokens right now; try again shortly");
    }

    private static String key(String token, Route route) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(token.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(route.path().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(route.accessCheckUrl().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                            new PoolOptions().setHttp1MaxSize(16));
                    client = c;
                }
            }
        }
        return c;
    }

    void close() {
        HttpClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
