package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.hub.Api;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The spawn-storm benchmark (bench/spawn-storm/run.sh): N users start their servers at once through
 * the hub's REST API ({@code POST /hub/api/users/<name>/server}), with the kubernetes spawner
 * against the CRUD mock API server. While the storm runs, a few API clients keep calling the hub
 * and their latencies are recorded. Measures the time until every pod exists and until every
 * server is ready (after the benchmark, playing the kubelet, marks the pods Running), the API
 * requests the spawner makes per spawn as the mock counts them, the hub API's latency percentiles
 * during the storm (and idle, before it), and the JVM's memory. Skipped unless
 * {@code -Dspawn-storm=N} is given.
 */
@QuarkusTest
@QuarkusTestResource(value = SpawnStormBench.Storm.class, restrictToAnnotatedClass = true)
@EnabledIfSystemProperty(named = "spawn-storm", matches = "\\d+")
class SpawnStormBench {

    /** The "pods" answer here: every one gets this loopback address from the benchmark's kubelet. */
    static final String POD_IP = "127.0.0.9";

    public static class Storm extends KubernetesMockResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.HashMap<>(super.start());
            config.put("ganymede.spawner.kind", "kubernetes");
            config.put("ganymede.spawner.concurrent-spawn-limit", "0");
            config.put("ganymede.spawner.slow-timeout", "1s");
            config.put("ganymede.spawner.start-timeout", "600s");
            config.put("ganymede.kubernetes.capacity-enabled", "false");
            // The example profiles: cpu-small has a per-user disk, so each spawn makes a claim and a pod.
            config.put("ganymede.profiles.path", Path.of("../profiles/profiles.yaml").toAbsolutePath().toString());
            // The mock goes away with the test; stopping 1,000 servers at shutdown would only log errors.
            config.put("ganymede.spawner.cleanup-on-shutdown", "false");
            config.put("quarkus.log.level", "WARN");
            config.put("quarkus.log.category.\"io.ganymede\".level", "WARN");
            return config;
        }
    }

    @Inject
    ServerInformers informers;

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/")
    URL hub;

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();

    @Test
    void storm() throws Exception {
        int n = Integer.parseInt(System.getProperty("spawn-storm"));
        HttpServer pods = HttpServer.create(new InetSocketAddress(POD_IP, 8888), 1024);
        pods.setExecutor(Executors.newFixedThreadPool(8));
        pods.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        pods.start();
        try {
            run(n);
        } finally {
            pods.stop(0);
        }
    }

    private void run(int n) throws Exception {
        informers.ensureStarted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users.add(String.format("user-%04d", i));
        }
        HttpResponse<String> created = send("POST", "hub/api/users",
                new JsonObject().put("usernames", new JsonArray(users)).encode());
        assertEquals(201, created.statusCode(), created.body());

        // Idle latency first, then the storm with the same load running.
        LoadClients idle = new LoadClients(4);
        Thread.sleep(5000);
        idle.stop();
        System.gc();
        long heapBefore = usedHeap();
        String rssBefore = rss();
        int requestsBefore = KubernetesMockResource.server.getRequestCount();

        LoadClients during = new LoadClients(4);
        long t0 = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> starts = new ArrayList<>();
        for (String user : users) {
            starts.add(http.sendAsync(request("POST", "hub/api/users/" + user + "/server",
                    "{\"profile\": \"cpu-small\"}"), HttpResponse.BodyHandlers.ofString()));
        }
        long submitted = System.nanoTime();
        while (informers.pods().size() < n) {
            Thread.sleep(5);
            if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
                throw new AssertionError("only " + informers.pods().size() + " pods after 5 minutes");
            }
        }
        long allPods = System.nanoTime();
        int spawnRequests = KubernetesMockResource.server.getRequestCount() - requestsBefore;
        long heapAtPods = usedHeap();

        // Play the kubelet for every pod; these requests are the benchmark's, not the hub's.
        for (Pod pod : informers.pods()) {
            pod.setStatus(KubernetesSpawnerTest.running(POD_IP));
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
        }
        int answered = 0;
        for (CompletableFuture<HttpResponse<String>> f : starts) {
            int status = f.get(5, TimeUnit.MINUTES).statusCode();
            if (status != 201 && status != 202) {
                throw new AssertionError("start answered " + status + ": " + f.get().body());
            }
            answered++;
        }
        long ready;
        while (true) {
            long count = readyServers();
            if (count >= n) {
                ready = System.nanoTime();
                break;
            }
            if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) {
                throw new AssertionError("only " + count + " servers ready after 10 minutes");
            }
            Thread.sleep(50);
        }
        during.stop();
        long heapPeak = Math.max(heapAtPods, usedHeap());
        String rssPeak = rss();
        System.gc();
        long heapAfter = usedHeap();

        String report = String.format("""
                servers: %d (through POST /hub/api/users/<name>/server, %d answered)
                submit all starts: %d ms
                all pods exist: %d ms after the first start
                all servers ready (readiness probe passed, proxy route added) after the kubelet reported Running: %d ms after the first start
                Kubernetes API requests until all pods exist: %d (%.2f per spawn)
                hub API latency idle, 4 clients: %s
                hub API latency during the storm, 4 clients: %s
                heap used: %d MiB before, %d MiB peak seen, %d MiB after GC; max heap %d MiB
                RSS (hub, mock API server and fake pods in one JVM): %s before, %s at the end
                """, n, answered, ms(submitted - t0), ms(allPods - t0), ms(ready - t0), spawnRequests,
                spawnRequests / (double) n, idle.summary(), during.summary(), heapBefore >> 20, heapPeak >> 20,
                heapAfter >> 20, Runtime.getRuntime().maxMemory() >> 20, rssBefore, rssPeak);
        System.out.println(report);
        Files.writeString(Path.of("target/spawn-storm.txt"), report);
    }

    /** Servers the hub reports ready, from one paginated call's total. */
    private long readyServers() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(hub.toURI().resolve("hub/api/users?state=ready&limit=1"))
                .header("Authorization", "token " + Api.ADMIN_TOKEN)
                .header("Accept", "application/jupyterhub-pagination+json").build();
        JsonObject page = new JsonObject(http.send(r, HttpResponse.BodyHandlers.ofString()).body());
        return page.getJsonObject("_pagination").getLong("total");
    }

    /**
     * Clients that call the hub in a loop, one request at a time each, cycling through the version
     * endpoint, a page of users (token check and database) and the profile list.
     */
    final class LoadClients {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private final HttpClient own = HttpClient.newHttpClient();

        LoadClients(int count) {
            String[] paths = {"hub/api/", "hub/api/users?limit=20", "hub/api/profiles"};
            for (int t = 0; t < count; t++) {
                int offset = t;
                Thread thread = new Thread(() -> {
                    int i = offset;
                    while (running.get()) {
                        long start = System.nanoTime();
                        try {
                            HttpResponse<Void> r = own.send(HttpRequest.newBuilder(hub.toURI().resolve(paths[i++ % paths.length]))
                                    .header("Authorization", "token " + Api.ADMIN_TOKEN).timeout(Duration.ofSeconds(60)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() != 200) {
                                throw new IllegalStateException("status " + r.statusCode());
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        nanos.add(System.nanoTime() - start);
                    }
                }, "api-load-" + t);
                thread.start();
                threads.add(thread);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }

        String summary() {
            List<Long> sorted = new ArrayList<>(nanos);
            sorted.sort(null);
            if (sorted.isEmpty()) {
                return "no requests";
            }
            return String.format("%d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.size(),
                    pct(sorted, 0.50), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
        }

        private double pct(List<Long> sorted, double q) {
            int i = (int) Math.ceil(q * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
        }
    }

    private HttpRequest request(String method, String path, String body) throws Exception {
        return HttpRequest.newBuilder(hub.toURI().resolve(path)).header("Authorization", "token " + Api.ADMIN_TOKEN)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String rss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                .map(l -> l.replaceAll("\\s+", " ").replace("VmRSS: ", "")).findFirst().orElse("?");
    }
}
