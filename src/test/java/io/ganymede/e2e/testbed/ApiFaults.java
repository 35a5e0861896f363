package io.ganymede.e2e.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A fault-injecting proxy in front of the test bed's API server, for a hub's kubeconfig: plain
 * HTTP on a loopback port, forwarded over TLS to the API server with the caller's own token (watches
 * over HTTP: a WebSocket upgrade is refused, and fabric8 falls back to HTTP watches). It
 * answers a share of the requests with 429 (with {@code Retry-After}) or 500 as an overloaded API
 * server does (apiserver's priority and fairness, an etcd timeout), some of them after the API
 * server has done the work (the answer lost on the way, so a create is retried onto a conflict),
 * adds latency, cuts open watch streams and answers watches with 410 Gone (an expired resource
 * version, as after etcd compacts), and counts what it saw.
 */
public final class ApiFaults implements AutoCloseable {

    /**
     * What it did, by kind: "requests", "watches", "lists", "POST pods" (creates by resource),
     * "429", "500", "500-after", "410", "cut".
     */
    public final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private final URI upstream;
    private final HttpServer server;
    private final HttpClient client;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-faults");
        t.setDaemon(true);
        return t;
    });
    private final Set<InputStream> openWatches = ConcurrentHashMap.newKeySet();
    private volatile double failRate;
    private volatile Duration maxLatency = Duration.ZERO;
    private volatile Predicate<String> alwaysFail = request -> false;
    private volatile long watchesExpireUntil;

    public ApiFaults(URI upstream, Path caCertificate) throws Exception {
        this.upstream = upstream;
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            trust.setCertificateEntry("testbed", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(threads).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Where the hub's kubeconfig points instead of the API server. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Answers {@code rate} of the requests (watches aside) with a fault: a third 429, a third 500
     * before forwarding, a third 500 after the API server did the work; each request is delayed by
     * up to {@code maxLatency}.
     */
    public void faults(double rate, Duration maxLatency) {
        this.failRate = rate;
        this.maxLatency = maxLatency;
    }

    /** Requests ("METHOD path?query body") matching {@code which} always get a 500 before forwarding. */
    public void alwaysFail(Predicate<String> which) {
        this.alwaysFail = which;
    }

    /** Every watch opened within {@code window} is answered with a 410 Gone event and closed. */
    public void expireWatches(Duration window) {
        watchesExpireUntil = System.nanoTime() + window.toNanos();
    }

    /** Closes every open watch stream, as a load balancer's idle timeout or a network blip does. */
    public void cutWatches() {
        for (InputStream watch : List.copyOf(openWatches)) {
            tally("cut");
            try {
                watch.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }
    }

    public int count(String what) {
        AtomicInteger n = counts.get(what);
        return n == null ? 0 : n.get();
    }

    private void tally(String what) {
        counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            boolean watch = pathAndQuery.contains("watch=true") || pathAndQuery.contains("watch=1");
            tally("requests");
            if ("POST".equals(method)) {
                tally("POST " + pathAndQuery.substring(pathAndQuery.lastIndexOf('/') + 1).replaceAll("\\?.*", ""));
            }
            if (watch && "websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Upgrade"))) {
                // This proxy relays HTTP only, as some L7 proxies do: a watch over a WebSocket is
                // answered with a plain 200, and the client (fabric8) watches over HTTP instead.
                tally("upgrade-refused");
                status(exchange, 200, "", "WebSocket watches are not relayed; watch over HTTP");
                return;
            }
            if (watch) {
                tally("watches");
                if (System.nanoTime() < watchesExpireUntil) {
                    tally("410");
                    expired(exchange);
                    return;
                }
            } else if ("GET".equals(method)) {
                tally("lists");
            }
            long latency = maxLatency.toMillis();
            if (latency > 0 && !watch) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(latency + 1));
            }
            String described = method + " " + pathAndQuery + " " + new String(body, StandardCharsets.UTF_8);
            double roll = watch ? 1 : ThreadLocalRandom.current().nextDouble();
            boolean always = alwaysFail.test(described);
            if (always || roll < failRate / 3) {
                tally("500");
                status(exchange, 500, "InternalError", "etcdserver: request timed out");
                return;
            }
            if (roll < 2 * failRate / 3) {
                tally("429");
                exchange.getResponseHeaders().add("Retry-After", "1");
                status(exchange, 429, "TooManyRequests", "Too many requests, please try again later.");
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(pathAndQuery))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (!watch) {
                forward.timeout(Duration.ofSeconds(60));
            }
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase())) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<InputStream> answer;
            try {
                answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException down) {
                // The API server is not there (restarting): the connection is refused.
                return;
            }
            if (roll < failRate) {
                // The API server did it; its answer is lost and a 500 arrives instead.
                answer.body().close();
                tally("500-after");
                status(exchange, 500, "InternalError", "etcdserver: leader changed");
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase()) && !name.equalsIgnoreCase("transfer-encoding")
                        && !name.equals(":status")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            try (InputStream in = answer.body()) {
                if (watch) {
                    openWatches.add(in);
                }
                long length = watch ? 0 : answer.headers().firstValueAsLong("content-length").orElse(0);
                // HttpServer's lengths: 0 means chunked, -1 no body.
                exchange.sendResponseHeaders(answer.statusCode(), length == 0 && !watch
                        && answer.headers().firstValue("content-length").isPresent() ? -1 : length);
                OutputStream out = exchange.getResponseBody();
                byte[] buffer = new byte[16384];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException cut) {
                // The watch was cut, or the client went away.
            } finally {
                openWatches.remove(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

    /** What the API server answers to a list or create it cannot serve: a Status. */
    private static void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
    }

    /** What the API server sends on a watch whose resource version etcd has compacted away. */
    private static void expired(HttpExchange exchange) throws IOException {
        byte[] body = ("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}\n")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().write(body);
        exchange.getResponseBody().flush();
    }

    @Override
    public void close() {
        cutWatches();
        server.stop(0);
        threads.shutdownNow();
    }
}
