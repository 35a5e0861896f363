package io.ganymede.hub.spawner.kubernetes;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.hub.proxy.EmbeddedProxy;
import io.ganymede.hub.proxy.ProxyToken;
import io.ganymede.proxy.routing.AccessTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole hub with the kubernetes spawner against the CRUD mock API server, per-user namespaces
 * on and the repository's example profiles: capacity in {@code GET /hub/api/profiles}, and an
 * RStudio server started through the REST API, its route data, requests through the proxy with the
 * prefix stripped and RStudio's headers, and the activity the hub sees from that traffic. The test
 * plays the kubelet; the "pod" is a small HTTP server on a loopback address.
 */
@QuarkusTest
@QuarkusTestResource(value = KubernetesHubTest.KubernetesHub.class, restrictToAnnotatedClass = true)
class KubernetesHubTest {

    /** The mock API server, plus the hub settings of this test. */
    public static class KubernetesHub extends KubernetesMockResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.HashMap<>(super.start());
            config.put("ganymede.spawner.kind", "kubernetes");
            config.put("ganymede.kubernetes.user-namespaces", "true");
            config.put("ganymede.spawner.slow-timeout", "1s");
            // No poll in the test's time: a pod deleted from outside is noticed by the pod informer.
            config.put("ganymede.spawner.poll-interval", "1h");
            config.put("ganymede.profiles.path", Path.of("../profiles/profiles.yaml").toAbsolutePath().toString());
            return config;
        }
    }

    /** A loopback address of its own, so the fake pod's port cannot clash with servers on 127.0.0.1. */
    static final String POD_IP = "127.0.0.87";

    @Inject
    KubernetesClient client;

    @Inject
    EmbeddedProxy proxy;

    @Inject
    ProxyToken proxyToken;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void profilesCarryCapacity() {
        client.nodes().resource(CapacityModelTest.node("t4-node", "nvidia-tesla-t4", 2, true, true)).create();
        client.nodes().resource(CapacityModelTest.node("cpu-node", null, 0, true, false)).create();
        Pod busy = CapacityModelTest.pod("t4-node", "Running", "1", 1);
        busy.getMetadata().setNamespace("training");
        client.pods().inNamespace("training").resource(busy).create();

        // The caches fill asynchronously; the first answers may come before the nodes are seen.
        KubernetesSpawnerTest.await(() -> Integer.valueOf(1).equals(admin().get("/hub/api/profiles").then()
                .extract().path("find { it.slug == 'gpu-t4' }.capacity.free_gpus")) ? true : null, "one free T4");
        admin().get("/hub/api/profiles").then().statusCode(200)
                .body("find { it.slug == 'gpu-t4' }.capacity", equalTo(Map.of("schedulable_now", true, "free_gpus", 1)))
                // No L4 node at all; the picker can say "none free".
                .body("find { it.slug == 'gpu-l4' }.capacity", equalTo(Map.of("schedulable_now", false, "free_gpus", 0)))
                // 8 CPUs allocatable, cpu-small asks for 0.5.
                .body("find { it.slug == 'cpu-small' }.capacity", equalTo(Map.of("schedulable_now", true)))
                .body("find { it.slug == 'gpu-t4' }.gpu", equalTo("nvidia-tesla-t4"));
        // The picker's words say the same of the same caches.
        Map<String, Object> words = admin().get("/hub/api/profiles/capacity").then().statusCode(200).extract().as(Map.class);
        assertEquals(Map.of("text", "1 T4 free", "fits", true, "gpu", "nvidia-tesla-t4", "gpus_free", 1), words.get("gpu-t4"));
        assertEquals(Map.of("text", "no L4 free now: your server will wait for a node", "fits", false, "gpu", "nvidia-l4",
                "gpus_free", 0), words.get("gpu-l4"));
        assertEquals(Map.of("text", "room free now", "fits", true), words.get("cpu-small"));

        // A user outside 'ml' sees neither GPU profile nor its capacity.
        String tess = userWithToken("tess");
        List<String> slugs = as(tess).get("/hub/api/profiles").then().extract().path("slug");
        assertEquals(List.of("cpu-small", "rstudio", "code-server"), slugs);
        as(tess).body(Map.of("profile", "gpu-t4")).post("/hub/api/users/tess/server").then().statusCode(403)
                .body("message", equalTo("Profile gpu-t4 is not available to you"));
    }

    @Test
    void rstudioThroughTheHubProxyAndActivity() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer rstudio = HttpServer.create(new InetSocketAddress(POD_IP, 8787), 0);
        rstudio.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI().getPath() + " root=" + exchange.getRequestHeaders().getFirst("X-RStudio-Root-Path"));
            byte[] body = "rstudio".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        rstudio.start();
        try {
            String token = userWithToken("rosa");
            CompletableFuture<Integer> post = CompletableFuture.supplyAsync(() -> as(token)
                    .body(Map.of("profile", "rstudio")).post("/hub/api/users/rosa/servers/stats").statusCode());

            // Per-user namespace, created by the spawner; the pod and its claim land there.
            String ns = "ganymede-rosa";
            Pod pod = KubernetesSpawnerTest.await(() -> client.pods().inNamespace(ns).withName("jupyter-rosa--stats").get(),
                    "the pod in the user's namespace");
            assertNotNull(client.namespaces().withName(ns).get());
            assertNotNull(client.persistentVolumeClaims().inNamespace(ns).withName("claim-rosa--stats").get());
            assertEquals("rstudio", pod.getMetadata().getAnnotations().get("ganymede.io/app"));
            // Contract 3: what the hub put in the environment reaches the container.
            Map<String, String> env = new java.util.HashMap<>();
            pod.getSpec().getContainers().get(0).getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
            for (String key : List.of("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN", "JUPYTERHUB_CLIENT_ID", "JUPYTERHUB_API_URL",
                    "JUPYTERHUB_ACTIVITY_URL", "JUPYTERHUB_BASE_URL", "JUPYTERHUB_SERVICE_PREFIX", "JUPYTERHUB_SERVICE_URL",
                    "JUPYTERHUB_OAUTH_CALLBACK_URL", "JUPYTERHUB_OAUTH_ACCESS_SCOPES", "JUPYTERHUB_USER",
                    "JUPYTERHUB_SERVER_NAME", "JUPYTERHUB_HOST", "MEM_LIMIT", "CPU_LIMIT", "JUPYTER_IMAGE")) {
                assertTrue(env.containsKey(key), key + " in " + env.keySet());
            }
            assertEquals(env.get("JUPYTERHUB_API_TOKEN"), env.get("JPY_API_TOKEN"));
            assertTrue(env.get("JUPYTERHUB_API_URL").endsWith("/hub/api"), env.get("JUPYTERHUB_API_URL"));
            assertEquals(env.get("JUPYTERHUB_API_URL") + "/users/rosa/activity", env.get("JUPYTERHUB_ACTIVITY_URL"));
            assertEquals("/user/rosa/stats/", env.get("JUPYTERHUB_SERVICE_PREFIX"));
            assertEquals("http://0.0.0.0:8787/user/rosa/stats/", env.get("JUPYTERHUB_SERVICE_URL"));
            assertEquals("rosa", env.get("JUPYTERHUB_USER"));
            assertEquals("stats", env.get("JUPYTERHUB_SERVER_NAME"));
            assertEquals("8589934592", env.get("MEM_LIMIT"));
            assertEquals("2", env.get("CPU_LIMIT"));
            assertEquals("rocker/tidyverse:4.4", env.get("JUPYTER_IMAGE"));
            pod.setStatus(KubernetesSpawnerTest.running(POD_IP));
            client.pods().inNamespace(ns).resource(pod).updateStatus();

            int status = post.get(30, TimeUnit.SECONDS);
            assertTrue(status == 201 || status == 202, "status " + status);
            KubernetesSpawnerTest.await(() -> Boolean.TRUE.equals(as(token).get("/hub/api/users/rosa").then()
                    .extract().path("servers.stats.ready")) ? true : null, "server ready");
            // The hub probed RStudio at its root, as the proxy will serve it.
            assertTrue(seen.stream().anyMatch(s -> s.startsWith("/ ")), seen.toString());

            // Route data as proxy/README.md names it.
            Map<String, Object> route = admin().get("/hub/api/proxy").then().statusCode(200)
                    .extract().path("'/user/rosa/stats'");
            assertEquals("http://" + POD_IP + ":8787", route.get("target"));
            assertEquals(true, route.get("rstudio"));
            assertEquals(true, route.get("strip_prefix"));
            assertEquals("/hub/open/rosa/stats", route.get("access_url"));
            assertEquals(true, route.get("jupyterhub"));
            assertEquals("rosa", route.get("user"));
            assertEquals("stats", route.get("server_name"));

            // Traffic through the proxy: prefix stripped, RStudio's root path set, activity recorded.
            admin().post("/hub/api/proxy").then().statusCode(200);
            Instant before = Instant.parse(admin().get("/hub/api/users/rosa").then()
                    .extract().<String>path("servers.stats.last_activity"));
            Thread.sleep(1100);
            String cookie = new AccessTokens(proxyToken.value()).issue("/user/rosa/stats", System.currentTimeMillis() / 1000 + 600);
            HttpResponse<String> through = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + proxy.publicPort() + "/user/rosa/stats/rpc/client_init"))
                    .header("Cookie", AccessTokens.COOKIE + "=" + cookie).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, through.statusCode(), through.body());
            assertEquals("rstudio", through.body());
            assertTrue(seen.contains("/rpc/client_init root=/user/rosa/stats"), seen.toString());
            admin().post("/hub/api/proxy").then().statusCode(200);
            Instant after = Instant.parse(admin().get("/hub/api/users/rosa").then()
                    .extract().<String>path("servers.stats.last_activity"));
            assertTrue(after.isAfter(before), before + " -> " + after);

            // The pod vanishes behind the hub's back (evicted, deleted by hand): the pod informer tells
            // the hub, which records the server as stopped and removes its route at once, without
            // waiting for its poll; the user can start it again.
            client.pods().inNamespace(ns).withName("jupyter-rosa--stats").delete();
            KubernetesSpawnerTest.await(() -> as(token).get("/hub/api/users/rosa").then().extract()
                    .path("servers.stats") == null ? true : null, "vanished server recorded as stopped");
            assertNull(admin().get("/hub/api/proxy").then().extract().path("'/user/rosa/stats'"));
            assertNotNull(client.persistentVolumeClaims().inNamespace(ns).withName("claim-rosa--stats").get());
            CompletableFuture<Integer> again = CompletableFuture.supplyAsync(() -> as(token)
                    .body(Map.of("profile", "rstudio")).post("/hub/api/users/rosa/servers/stats").statusCode());
            Pod second = KubernetesSpawnerTest.await(() -> client.pods().inNamespace(ns).withName("jupyter-rosa--stats").get(),
                    "the pod of the second start");
            second.setStatus(KubernetesSpawnerTest.running(POD_IP));
            client.pods().inNamespace(ns).resource(second).updateStatus();
            assertTrue(List.of(201, 202).contains(again.get(30, TimeUnit.SECONDS)));
            KubernetesSpawnerTest.await(() -> Boolean.TRUE.equals(as(token).get("/hub/api/users/rosa").then()
                    .extract().path("servers.stats.ready")) ? true : null, "ready again");

            // Stop: the pod goes, the claim stays.
            CompletableFuture<Integer> stop = CompletableFuture.supplyAsync(() -> as(token)
                    .delete("/hub/api/users/rosa/servers/stats").statusCode());
            assertTrue(List.of(202, 204).contains(stop.get(30, TimeUnit.SECONDS)));
            KubernetesSpawnerTest.await(() -> client.pods().inNamespace(ns).withName("jupyter-rosa--stats").get() == null
                    ? true : null, "pod deleted");
            assertNotNull(client.persistentVolumeClaims().inNamespace(ns).withName("claim-rosa--stats").get());
            KubernetesSpawnerTest.await(() -> as(token).get("/hub/api/users/rosa").then().extract()
                    .path("servers.stats") == null ? true : null, "server recorded as stopped");
            assertNull(admin().get("/hub/api/proxy").then().extract().path("'/user/rosa/stats'"));
        } finally {
            rstudio.stop(0);
        }
    }
}
