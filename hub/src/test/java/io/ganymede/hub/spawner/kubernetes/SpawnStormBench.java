package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.hub.spawner.SpawnRequest;
import io.ganymede.hub.spawner.SpawnResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The spawn-storm benchmark (bench/spawn-storm/run.sh): N servers started at once against the CRUD
 * mock API server. Measures the time until every pod exists, the API requests per spawn as the
 * mock counts them, and the JVM's memory. Skipped unless {@code -Dspawn-storm=N} is given.
 */
@QuarkusTest
@QuarkusTestResource(value = KubernetesMockResource.class, restrictToAnnotatedClass = true)
@EnabledIfSystemProperty(named = "spawn-storm", matches = "\\d+")
class SpawnStormBench {

    @Inject
    KubernetesSpawner spawner;

    @Inject
    ServerInformers informers;

    @Inject
    KubernetesClient client;

    @Test
    void storm() throws Exception {
        int n = Integer.parseInt(System.getProperty("spawn-storm"));
        informers.ensureStarted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.gc();
        long heapBefore = usedHeap();
        int requestsBefore = KubernetesMockResource.server.getRequestCount();

        long t0 = System.nanoTime();
        List<CompletableFuture<SpawnResult>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<SpawnResult> f = new CompletableFuture<>();
            SpawnRequest r = new SpawnRequest(String.format("user-%04d", i), "", Map.of("JUPYTERHUB_API_TOKEN", "t"),
                    Map.of(), Map.of("profile", "cpu-small", "image", "img:1", "cpu_limit", 2L, "mem_limit", "8G",
                            "storage", Map.of("kind", "pd")), Map.of());
            spawner.start(r, p -> {}).subscribe().with(f::complete, f::completeExceptionally);
            results.add(f);
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
        long heapPeak = usedHeap();

        // Play the kubelet for every pod; these requests are the benchmark's, not the spawner's.
        for (Pod pod : informers.pods()) {
            pod.setStatus(KubernetesSpawnerTest.running("127.0.0.9"));
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        long allReady = System.nanoTime();
        for (CompletableFuture<SpawnResult> f : results) {
            assertEquals("http://127.0.0.9:8888", f.get().url());
        }
        System.gc();
        long heapAfter = usedHeap();

        String report = String.format("""
                servers: %d
                submit all starts: %d ms
                all pods exist: %d ms after the first start
                all starts completed after the kubelet reported Running: %d ms after the first start
                API requests until all pods exist: %d (%.2f per spawn)
                heap used: %d MiB before, %d MiB with %d pods, %d MiB after GC; max heap %d MiB; RSS %s
                """, n, ms(submitted - t0), ms(allPods - t0), ms(allReady - t0), spawnRequests,
                spawnRequests / (double) n, heapBefore >> 20, heapPeak >> 20, n, heapAfter >> 20,
                Runtime.getRuntime().maxMemory() >> 20, rss());
        System.out.println(report);
        Files.writeString(Path.of("target/spawn-storm.txt"), report);
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
