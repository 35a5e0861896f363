package io.ganymede.hub.spawner.kubernetes;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.hub.leader.Leadership;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawner.SpawnRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A hub replica dies while it leads and while starts are in flight; this hub, a non-leader until
 * then, takes over within the lease duration and its reconciliation settles every start the dead
 * replica left: servers that came up are adopted, the rest are undone, none stays pending.
 */
@QuarkusTest
@QuarkusTestResource(value = FailoverResource.class, restrictToAnnotatedClass = true)
class FailoverTest {

    static final String NS = "ganymede";

    @Inject
    Leadership leadership;

    @Inject
    KubernetesClient client;

    @Inject
    KubernetesSpawner spawner;

    @Test
    void theNextLeaderSettlesStartsLeftInFlightByADeadReplica() throws IOException {
        // The servers in alice's and dave's pods answer: only a server that answers is adopted.
        HttpServer aliceServer = answering("127.0.0.7");
        HttpServer daveServer = answering("127.0.0.9");
        HttpServer frankServer = answering("127.0.0.12");
        try {
            settles();
        } finally {
            aliceServer.stop(0);
            daveServer.stop(0);
            frankServer.stop(0);
        }
    }

    private void settles() {
        // Another replica leads: this one serves, is ready, and says it does not lead.
        assertTrue(FailoverResource.other.isLeader());
        assertTrue(!leadership.isLeader());
        // The hub learns who holds the Lease at its election loop's first read, moments after start.
        awaitHolder("hub-other", Duration.ofSeconds(20));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("leadership"))
                .body("checks.find { it.name == 'leadership' }.data.leader", org.hamcrest.Matchers.equalTo(false))
                .body("checks.find { it.name == 'leadership' }.data.holder", org.hamcrest.Matchers.equalTo("hub-other"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("ganymede_hub_leader 0.0"));

        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        // The dead replica's starts: alice's pod came up before it could record it; bob's never got
        // a node; carol's began just now by a replica that did not say who it is (a live replica
        // may still finish it); dave's was recorded but not yet routed; erin's server was recorded
        // running and its pod is gone. Frank's and gina's began just now on the leader about to
        // die, which recorded its name: frank's pod came up, gina's never got a node (their names
        // are prefixed: other test classes share the database).
        seed("alice", null, longAgo, null);
        pod("alice", "127.0.0.7");
        seed("bob", null, longAgo, null);
        pod("bob", null);
        seed("carol", null, Instant.now(), null);
        pod("carol", null);
        seed("dave", "http://127.0.0.9:8888", longAgo, null);
        pod("dave", "127.0.0.9");
        seed("erin", "http://127.0.0.10:8888", null, null);
        seed("lease-frank", null, Instant.now(), "hub-other");
        pod("lease-frank", "127.0.0.12");
        seed("lease-gina", null, Instant.now(), "hub-other");
        pod("lease-gina", null);

        // The leader dies: it stops renewing and releases nothing.
        long killed = System.nanoTime();
        FailoverResource.other.halt();
        await(() -> leadership.isLeader() ? true : null, FailoverResource.OTHER.leaseDuration().plusSeconds(10), "this replica leads");
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(took.compareTo(FailoverResource.OTHER.leaseDuration().plusMillis(3000)) < 0,
                "took over within the lease duration, took " + took);

        // The starts of the replica that lost the Lease are settled at once, not after the whole
        // start may take (start timeout + http timeout + poll interval: 151 s here).
        Duration soon = Duration.ofSeconds(30);
        ServerEntity frank = await(() -> server("lease-frank").url != null && server("lease-frank").pendingSince == null
                ? server("lease-frank") : null, soon, "frank adopted at once");
        assertEquals("http://127.0.0.12:8888", frank.url);
        await(() -> server("lease-gina").pendingSince == null ? true : null, soon, "gina's start undone at once");
        assertNull(server("lease-gina").url);

        await(() -> server("bob").pendingSince == null ? true : null, Duration.ofSeconds(60), "bob's start undone");
        ServerEntity alice = await(() -> server("alice").url != null && server("alice").pendingSince == null ? server("alice") : null,
                Duration.ofSeconds(60), "alice adopted");
        assertEquals("http://127.0.0.7:8888", alice.url);
        assertNull(alice.pendingSince);
        assertNotNull(alice.started);
        assertEquals("jupyter-alice", JsonColumns.strings(alice.spawnerState).get("pod_name"));

        ServerEntity bob = server("bob");
        assertNull(bob.url);
        await(() -> client.pods().inNamespace(NS).withName("jupyter-bob").get() == null ? true : null,
                Duration.ofSeconds(60), "bob's pending pod deleted");

        ServerEntity dave = await(() -> server("dave").pendingSince == null ? server("dave") : null,
                Duration.ofSeconds(60), "dave's start finished");
        assertEquals("http://127.0.0.9:8888", dave.url);
        // Adopted servers are reported ready only with their routes in place.
        for (String user : new String[] {"alice", "dave"}) {
            await(() -> Boolean.TRUE.equals(given().header("Authorization", "token test-admin-token").get("/hub/api/users/" + user)
                    .then().extract().path("servers.''.ready")) ? true : null, Duration.ofSeconds(30), user + " ready");
            given().header("Authorization", "token test-admin-token").get("/hub/api/proxy").then().statusCode(200)
                    .body("'/user/" + user + "'.target", org.hamcrest.Matchers.equalTo("http://127.0.0." + (user.equals("alice") ? 7 : 9) + ":8888"));
        }

        ServerEntity erin = await(() -> server("erin").url == null ? server("erin") : null, Duration.ofSeconds(60), "erin stopped");
        assertNull(erin.started);

        // Carol's start is young: left to whichever replica runs it, pod and all.
        ServerEntity carol = server("carol");
        assertNotNull(carol.pendingSince);
        assertNotNull(client.pods().inNamespace(NS).withName("jupyter-carol").get());

        // Every replica sees carol's start as pending; starting it again here neither runs a second
        // start nor touches the pod, and the progress stream follows the start to its outcome.
        String carolPod = client.pods().inNamespace(NS).withName("jupyter-carol").get().getMetadata().getUid();
        given().header("Authorization", "token test-admin-token").get("/hub/api/users/carol")
                .then().statusCode(200).body("pending", org.hamcrest.Matchers.equalTo("spawn"));
        given().header("Authorization", "token test-admin-token").body("{}").post("/hub/api/users/carol/server")
                .then().statusCode(202);
        assertEquals(carolPod, client.pods().inNamespace(NS).withName("jupyter-carol").get().getMetadata().getUid());
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The other replica finishes carol's start.
            QuarkusTransaction.requiringNew().run(() -> {
                ServerEntity s = UserEntity.findByName("carol").orElseThrow().server("").orElseThrow();
                s.url = "http://127.0.0.11:8888";
                s.started = Instant.now();
                s.pendingSince = null;
            });
        });
        String progress = given().header("Authorization", "token test-admin-token")
                .get("/hub/api/users/carol/server/progress").then().statusCode(200).extract().asString();
        assertTrue(progress.contains("Your server is starting"), progress);
        assertTrue(progress.contains("\"ready\":true"), progress);

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'leadership' }.data.leader", org.hamcrest.Matchers.equalTo(true));
        given().get("/q/metrics").then().statusCode(200).body(containsString("ganymede_hub_leader 1.0"));
    }

    /** A single-user server's stand-in at a pod's address, answering the hub's readiness check. */
    private static HttpServer answering(String ip) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, 8888), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void awaitHolder(String holder, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (!holder.equals(given().get("/q/health/ready").then().extract()
                .path("checks.find { it.name == 'leadership' }.data.holder"))) {
            assertTrue(Instant.now().isBefore(deadline), "the hub never saw " + holder + " holding the Lease");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void seed(String user, String url, Instant pendingSince, String pendingBy) {
        QuarkusTransaction.requiringNew().run(() -> {
            UserEntity u = new UserEntity();
            u.name = user;
            u.created = Instant.now();
            u.persist();
            ServerEntity s = new ServerEntity();
            s.user = u;
            s.name = "";
            s.url = url;
            s.started = url == null ? null : Instant.now();
            s.pendingSince = pendingSince;
            s.pendingBy = pendingBy;
            if (url != null) {
                s.spawnerState = JsonColumns.write(Map.of("pod_name", "jupyter-" + user, "namespace", NS, "app", "jupyterlab"));
            }
            s.persist();
        });
    }

    /** The pod a start creates; with an address when the kubelet reports it running and ready. */
    private void pod(String user, String ip) {
        SpawnRequest request = new SpawnRequest(user, "", Map.of("JUPYTERHUB_API_TOKEN", "t"), Map.of(),
                Map.of("app", "jupyterlab", "image", "quay.io/jupyter/base-notebook:x", "storage", Map.of("kind", "none")), Map.of());
        Pod pod = client.pods().inNamespace(NS).resource(spawner.plan(request).pod()).create();
        pod.setStatus(ip == null ? new PodStatusBuilder().withPhase("Pending").build() : KubernetesSpawnerTest.running(ip));
        client.pods().inNamespace(NS).resource(pod).updateStatus();
    }

    private static ServerEntity server(String user) {
        return QuarkusTransaction.requiringNew().call(() -> UserEntity.findByName(user).orElseThrow().server("").orElseThrow());
    }

    static <T> T await(Supplier<T> probe, Duration timeout, String what) {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
