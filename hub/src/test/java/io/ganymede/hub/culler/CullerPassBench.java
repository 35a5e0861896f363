package io.ganymede.hub.culler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.Api;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The culler benchmark (bench/culler/run.sh): one pass over N running servers (default 10,000),
 * before each of which a fraction goes idle (no traffic and no activity reports for 2 h; the
 * others reported 2 minutes ago, as jupyterhub-singleuser does every 5), with hub API requests running throughout. The proxy is a fake
 * configurable-http-proxy API in this JVM that answers {@code ?inactive_since=} from a table of N
 * routes and also plays the idle Jupyter servers' {@code /api/status}; the spawner is the local
 * one with no process behind the records, so a stop costs the hub's own work only and no pass
 * makes any per-server call to Kubernetes. Skipped unless {@code -Dculler-bench=N} is given.
 */
@QuarkusTest
@TestProfile(CullerPassBench.FakeProxy.class)
@EnabledIfSystemProperty(named = "culler-bench", matches = "\\d+")
class CullerPassBench {

    static final int PORT = freePort();
    static final Map<String, JsonObject> ROUTES = new ConcurrentHashMap<>();
    static final AtomicInteger LISTINGS = new AtomicInteger();
    static final AtomicInteger LISTED = new AtomicInteger();
    static final AtomicInteger STATUS_CALLS = new AtomicInteger();
    static final AtomicInteger DELETES = new AtomicInteger();
    static volatile String idleSince;

    public static class FakeProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ganymede.proxy.embedded", "false",
                    "ganymede.proxy.api-url", "http://127.0.0.1:" + PORT,
                    "ganymede.proxy.auth-token", "bench-proxy-token",
                    "ganymede.proxy.check-interval", "1h",
                    "ganymede.spawner.cleanup-on-shutdown", "false",
                    "ganymede.culler.timeout", "3600",
                    "ganymede.culler.warning", "10m",
                    "quarkus.log.category.\"io.ganymede\".level", "WARN",
                    "quarkus.log.category.\"io.ganymede.hub.culler\".level", "DEBUG",
                    "quarkus.log.category.\"io.ganymede.hub.culler\".min-level", "DEBUG");
        }
    }

    @Inject
    IdleCuller culler;

    @Test
    void pass() throws Exception {
        int n = Integer.parseInt(System.getProperty("culler-bench"));
        double idleFraction = Double.parseDouble(System.getProperty("culler-bench.idle", "0.01"));
        // Its own Vert.x: the fake is not part of the hub (and not in the hub's HTTP metrics).
        Vertx vertx = Vertx.vertx();
        HttpServer fake = startFake(vertx);
        // The hub's start-up adoption (which stops recorded servers with no process) must be over
        // before the records exist: it ends with a route check, which reaches the fake or has failed.
        for (int i = 0; i < 150 && LISTINGS.get() == 0; i++) {
            Thread.sleep(100);
        }
        Instant now = Instant.now();
        Instant recent = now.minus(Duration.ofMinutes(2));
        Instant old = now.minus(Duration.ofHours(2));
        idleSince = old.toString();
        int idle = (int) Math.round(n * idleFraction);
        populate(n, recent);

        HttpClient http = HttpClient.newBuilder().executor(java.util.concurrent.Executors.newFixedThreadPool(4)).build();
        String base = "http://127.0.0.1:" + io.restassured.RestAssured.port;
        for (int i = 0; i < 300; i++) {
            get(http, base + "/hub/api/users/bench-" + (i % n)); // warm-up
        }
        List<Long> baseline = load(http, base, n, Duration.ofSeconds(5), null);

        List<String> lines = new ArrayList<>();
        lines.add(String.format("servers %d, idle %d (%.1f%%), %s", n, idle, idleFraction * 100, Instant.now()));
        lines.add(String.format("hub API GET /users/{name}, 4 clients, without a pass: %d requests, p50 %.1f ms, p99 %.1f ms",
                baseline.size(), pct(baseline, 50), pct(baseline, 99)));
        List<Integer> culledPerRound = new ArrayList<>();
        for (int round = 1; round <= 5; round++) {
            makeIdle((round - 1) * idle, round * idle, old);
            int listedBefore = LISTED.get();
            int statusBefore = STATUS_CALLS.get();
            AtomicBoolean passDone = new AtomicBoolean();
            IdleCuller.PassReport[] report = new IdleCuller.PassReport[1];
            Thread passThread = new Thread(() -> {
                report[0] = culler.pass();
                passDone.set(true);
            });
            List<Long> during = Collections.synchronizedList(new ArrayList<>());
            passThread.start();
            during.addAll(load(http, base, n, Duration.ofSeconds(30), passDone));
            passThread.join();
            lines.add(String.format("pass %d: %d ms, checked %d, culled %d; routes listed %d; /api/status reads %d; "
                            + "hub API during the pass: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    round, report[0].durationMs(), report[0].checked(), report[0].culled(), LISTED.get() - listedBefore,
                    STATUS_CALLS.get() - statusBefore, during.size(), pct(during, 50), pct(during, 99), pct(during, 100)));
            culledPerRound.add(report[0].culled());
        }
        String out = String.join("\n", lines);
        System.out.println(out);
        Files.writeString(Path.of("target/culler-bench.txt"), out + "\n");
        assertEquals(List.of(idle, idle, idle, idle, idle), culledPerRound, "each pass culls the servers gone idle, no others");
        assertEquals(5 * idle, DELETES.get());
        fake.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close();
        assertTrue(LISTINGS.get() >= 5);
    }

    /** N users with one running default server each, all active (traffic and reports 2 minutes ago). */
    private static void populate(int n, Instant recent) {
        for (int from = 0; from < n; from += 1000) {
            int start = from;
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = start; i < Math.min(n, start + 1000); i++) {
                    UserEntity user = new UserEntity();
                    user.name = "bench-" + i;
                    user.created = recent.minus(Duration.ofDays(1));
                    user.persist();
                    ServerEntity server = new ServerEntity();
                    server.user = user;
                    server.name = "";
                    server.url = "http://127.0.0.1:" + PORT;
                    server.started = recent.minus(Duration.ofHours(3));
                    server.lastActivity = recent;
                    // As jupyterhub-singleuser does every 5 minutes: the server's own report.
                    server.reportedActivity = recent;
                    server.persist();
                    ROUTES.put("/user/" + user.name, new JsonObject().put("target", server.url).put("jupyterhub", true)
                            .put("user", user.name).put("server_name", "").put("last_activity", recent.toString()));
                }
            });
        }
    }

    /** Servers {@code from..to-1} go idle: no traffic, no reports since {@code old}. */
    private static void makeIdle(int from, int to, Instant old) {
        List<String> names = new ArrayList<>();
        for (int i = from; i < to; i++) {
            names.add("bench-" + i);
            ROUTES.get("/user/bench-" + i).put("last_activity", old.toString());
        }
        QuarkusTransaction.requiringNew().run(() -> ServerEntity.update(
                "lastActivity = ?1, reportedActivity = ?1 where user.id in (select u.id from UserEntity u where u.name in ?2)", old, names));
    }

    /** A fake CHP API: GET /api/routes[?inactive_since], POST and DELETE /api/routes/...; and /user/x/api/status. */
    private static HttpServer startFake(Vertx vertx) throws Exception {
        return vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            if (path.equals("/api/routes") && request.method().name().equals("GET")) {
                LISTINGS.incrementAndGet();
                String since = request.getParam("inactive_since");
                JsonObject body = new JsonObject();
                Instant cutoff = since == null ? null : Instant.parse(since);
                ROUTES.forEach((p, r) -> {
                    if (cutoff == null || Instant.parse(r.getString("last_activity")).isBefore(cutoff)) {
                        body.put(p, r);
                    }
                });
                LISTED.addAndGet(body.size());
                request.response().putHeader("Content-Type", "application/json").end(body.encode());
            } else if (path.startsWith("/api/routes/")) {
                String route = path.substring("/api/routes".length()).replaceAll("(.)/$", "$1");
                if (request.method().name().equals("DELETE")) {
                    if (ROUTES.remove(route) != null) {
                        DELETES.incrementAndGet();
                    }
                    request.response().setStatusCode(204).end();
                } else {
                    request.bodyHandler(b -> {
                        ROUTES.put(route, b.toJsonObject().put("last_activity", Instant.now().toString()));
                        request.response().setStatusCode(201).end();
                    });
                }
            } else if (path.endsWith("/api/status")) {
                STATUS_CALLS.incrementAndGet();
                // The server's own last_activity: its route's (old for idle servers, whatever the open tab does).
                String user = path.substring("/user/".length(), path.length() - "/api/status".length());
                JsonObject route = ROUTES.get("/user/" + user);
                request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("last_activity", route == null ? idleSince : route.getString("last_activity"))
                        .put("kernels", 0).put("connections", 1).encode());
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(PORT, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** 4 clients calling GET /hub/api/users/{name} until {@code until} turns true (or for {@code max}); latencies in µs. */
    private static List<Long> load(HttpClient http, String base, int n, Duration max, AtomicBoolean until) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + max.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int offset = c;
            Thread t = new Thread(() -> {
                int i = offset * 997;
                while (System.nanoTime() < end && (until == null || !until.get())) {
                    long t0 = System.nanoTime();
                    get(http, base + "/hub/api/users/bench-" + (n - 1 - (i++ % (n / 2))));
                    latencies.add((System.nanoTime() - t0) / 1000);
                }
            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        return latencies;
    }

    private static void get(HttpClient http, String url) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "token " + Api.ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + ": " + r.statusCode());
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double pct(List<Long> micros, int p) {
        if (micros.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1000.0;
    }

    /** One port for both class loaders that load this class (JUnit's for the profile, Quarkus' for the test). */
    private static synchronized int freePort() {
        String known = System.getProperty("culler-bench.port");
        if (known != null) {
            return Integer.parseInt(known);
        }
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.setProperty("culler-bench.port", String.valueOf(socket.getLocalPort()));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
