package io.ganymede.hub.storage;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.hub.spawner.kubernetes.KubernetesMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage API against fabric8's CRUD mock API server, with a tiny Prometheus query API and
 * profiles that cap disk sizes. Every rule and refusal of {@code /hub/api/users/{name}/volumes}
 * and {@code /hub/api/volumes}; the claims are written as the CSI provisioner and resizer would.
 */
@QuarkusTest
@QuarkusTestResource(value = VolumesApiTest.Cluster.class, restrictToAnnotatedClass = true)
class VolumesApiTest {

    static final String NS = "ganymede";
    static final long GI = 1L << 30;
    /** Queries the stand-in Prometheus received. */
    static final List<String> QUERIES = new CopyOnWriteArrayList<>();
    /** Whether it answers 503 instead, as an unreachable or failing Prometheus does. */
    static volatile boolean failing;
    /** Used bytes it answers, by claim. */
    static final Map<String, Long> USED = new java.util.concurrent.ConcurrentHashMap<>();

    public static class Cluster extends KubernetesMockResource {
        private HttpServer prometheus;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("ganymede.spawner.kind", "kubernetes");
            // A database of its own: the groups and users it makes are other classes' names too.
            config.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:volumes;DB_CLOSE_DELAY=-1");
            config.put("ganymede.kubernetes.resize-wait", "1s");
            config.put("ganymede.kubernetes.capacity-enabled", "false");
            config.put("ganymede.storage.group-limits.data-science", "30Gi");
            config.put("ganymede.storage.group-limits.interns", "100Gi");
            config.put("ganymede.storage.prometheus-url", startPrometheus());
            config.put("ganymede.profiles.path", profiles().toString());
            return config;
        }

        /** Answers GET /api/v1/query as Prometheus does, from {@link #USED}. */
        private String startPrometheus() {
            try {
                prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            prometheus.createContext("/api/v1/query", exchange -> {
                String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery().substring("query=".length()),
                        StandardCharsets.UTF_8);
                QUERIES.add(query);
                if (failing) {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
                StringBuilder result = new StringBuilder();
                USED.forEach((claim, bytes) -> result.append(result.isEmpty() ? "" : ",")
                        .append("{\"metric\":{\"namespace\":\"" + NS + "\",\"persistentvolumeclaim\":\"" + claim
                                + "\"},\"value\":[1765000000.0,\"" + bytes + "\"]}"));
                byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            prometheus.start();
            return "http://127.0.0.1:" + prometheus.getAddress().getPort() + "/";
        }

        private static Path profiles() {
            try {
                Path file = Files.createTempFile("volumes-profiles", ".yaml");
                Files.writeString(file, """
                        profiles:
                          - display_name: CPU
                            slug: cpu
                            storage: {kind: pd, size: 10Gi, max_size: 20Gi}
                          - display_name: Big data
                            slug: big
                            storage: {kind: pd, storage_class: premium-rwo, size: 10Gi}
                          - display_name: Shared Filestore
                            slug: shared
                            storage: {kind: filestore, shared: true, claim_name: home-shared, sub_path: "home/{username}"}
                          - display_name: Bucket
                            slug: bucket
                            storage: {kind: gcsfuse, bucket: "{username}-notebooks"}
                        """);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            if (prometheus != null) {
                prometheus.stop(0);
            }
            super.stop();
        }
    }

    @Inject
    KubernetesClient client;

    @BeforeEach
    void storageClasses() {
        for (var e : Map.of("standard-rwo", true, "premium-rwo", true, "standard", false).entrySet()) {
            client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
                    .withName(e.getKey()).endMetadata().withProvisioner("pd.csi.storage.gke.io")
                    .withAllowVolumeExpansion(e.getValue()).build()).createOr(c -> c.update());
        }
    }

    /** A claim as Ganymede makes it, provisioned and bound at {@code gi} (the provisioner's part). */
    PersistentVolumeClaim claim(String name, String user, String server, String profile, String storageClass, long gi,
            String phase) {
        Map<String, String> annotations = new HashMap<>(Map.of("hub.jupyter.org/username", user,
                "ganymede.io/storage-kind", "pd"));
        if (!server.isEmpty()) {
            annotations.put("hub.jupyter.org/servername", server);
        }
        if (profile != null) {
            annotations.put("ganymede.io/profile", profile);
        }
        PersistentVolumeClaim c = new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withLabels(Map.of("component", "singleuser-storage", "app.kubernetes.io/managed-by", "ganymede",
                        "hub.jupyter.org/username", "x"))
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .withNewResources().addToRequests("storage", new Quantity(gi + "Gi")).endResources().endSpec()
                .withNewStatus().withPhase(phase).addToCapacity("storage", new Quantity(gi + "Gi")).endStatus()
                .build();
        if (!"Bound".equals(phase)) {
            c.getStatus().setCapacity(null);
        }
        client.persistentVolumeClaims().inNamespace(NS).resource(c).create();
        return c;
    }

    long requested(String claim) {
        return Quantity.getAmountInBytes(client.persistentVolumeClaims().inNamespace(NS).withName(claim).get()
                .getSpec().getResources().getRequests().get("storage")).longValue();
    }

    @Test
    void ownersSeeTheirDisksWithFillAndTheSharedStorageTheirServersMount() {
        String alice = userWithToken("alice@example.com");
        userWithToken("bob@example.com");
        claim("claim-alice-40example-2ecom", "alice@example.com", "", "cpu", "standard-rwo", 10, "Bound");
        claim("claim-alice-40example-2ecom--gpu", "alice@example.com", "gpu", null, "premium-rwo", 50, "Bound");
        claim("claim-bob-40example-2ecom", "bob@example.com", "", "cpu", "standard-rwo", 10, "Bound");
        USED.put("claim-alice-40example-2ecom", 3 * GI);
        as(alice).body(Map.of("user_options", Map.of("profile", "shared"))).put("/hub/api/users/alice@example.com/servers/team")
                .then().statusCode(201);
        as(alice).body(Map.of("user_options", Map.of("profile", "bucket"))).put("/hub/api/users/alice@example.com/servers/lake")
                .then().statusCode(201);

        as(alice).get("/hub/api/users/alice@example.com/volumes").then().statusCode(200)
                .body("name", contains("claim-alice-40example-2ecom--gpu", "claim-alice-40example-2ecom",
                        "alice-example-com---ff8d9819-notebooks", "home-shared"))
                .body("[0].server", equalTo("gpu"))
                .body("[0].requested", equalTo("50Gi"))
                .body("[0].used_bytes", nullValue())
                .body("[0].used_unknown_reason", containsString("only while a server mounts it"))
                .body("[1].server", equalTo(""))
                .body("[1].profile", equalTo("cpu"))
                .body("[1].kind", equalTo("pd"))
                .body("[1].storage_class", equalTo("standard-rwo"))
                .body("[1].capacity", equalTo("10Gi"))
                .body("[1].max_size", equalTo("20Gi"))
                .body("[1].phase", equalTo("Bound"))
                .body("[1].created", equalTo(client.persistentVolumeClaims().inNamespace(NS)
                        .withName("claim-alice-40example-2ecom").get().getMetadata().getCreationTimestamp()))
                .body("[1].in_use", equalTo(false))
                .body("[1].expandable", equalTo(true))
                .body("[1].read_only", equalTo(false))
                .body("[1].used_bytes", equalTo(3 * GI))
                .body("[2].kind", equalTo("gcsfuse"))
                .body("[2].server", equalTo("lake"))
                .body("[2].read_only", equalTo(true))
                .body("[3].kind", equalTo("filestore"))
                .body("[3].read_only", equalTo(true))
                .body("[3].sub_path", equalTo("home/alice-example-com---ff8d9819"))
                .body("[3].server", equalTo("team"));
        assertEquals(true, QUERIES.stream().anyMatch(q -> q.contains("kubelet_volume_stats_used_bytes{namespace=~\"ganymede\"}")),
                QUERIES.toString());
        // A failing Prometheus: unknown, never a guess.
        failing = true;
        try {
            as(alice).get("/hub/api/users/alice@example.com/volumes").then().statusCode(200)
                    .body("[1].used_bytes", nullValue())
                    .body("[1].used_unknown_reason", equalTo("the metrics source did not answer"));
        } finally {
            failing = false;
        }
        // Shared storage is the admins': listed, never resized or deleted by a user.
        as(alice).body(Map.of("size", "2Ti")).patch("/hub/api/users/alice@example.com/volumes/home-shared")
                .then().statusCode(400).body("message", containsString("read-only"));
        as(alice).delete("/hub/api/users/alice@example.com/volumes/alice-example-com---ff8d9819-notebooks")
                .then().statusCode(400).body("status", equalTo(400));
    }

    @Test
    void anotherUsersDiskIsNotFound() {
        String mallory = userWithToken("mallory@example.com");
        userWithToken("victor@example.com");
        claim("claim-victor", "victor@example.com", "", "cpu", "standard-rwo", 10, "Bound");
        as(mallory).get("/hub/api/users/victor@example.com/volumes").then().statusCode(404)
                .body("status", equalTo(404));
        as(mallory).body(Map.of("size", "15Gi")).patch("/hub/api/users/victor@example.com/volumes/claim-victor")
                .then().statusCode(404);
        as(mallory).delete("/hub/api/users/victor@example.com/volumes/claim-victor").then().statusCode(404);
        // Nor under one's own name.
        as(mallory).body(Map.of("size", "15Gi")).patch("/hub/api/users/mallory@example.com/volumes/claim-victor")
                .then().statusCode(404).body("message", equalTo("mallory@example.com has no volume named claim-victor"));
        as(mallory).delete("/hub/api/users/mallory@example.com/volumes/claim-victor").then().statusCode(404);
        assertEquals(10 * GI, requested("claim-victor"));
        // Admins (admin:servers) may.
        admin().get("/hub/api/users/victor@example.com/volumes").then().statusCode(200).body("name", contains("claim-victor"));
        // The admin listing needs admin:servers.
        as(mallory).get("/hub/api/volumes").then().statusCode(403);
    }

    @Test
    void growingGoesUpOnlyWithinTheProfilesMaxSize() {
        String gina = userWithToken("gina@example.com");
        claim("claim-gina", "gina@example.com", "", "cpu", "standard-rwo", 10, "Bound");
        String path = "/hub/api/users/gina@example.com/volumes/claim-gina";
        as(gina).body(Map.of("size", "5Gi")).patch(path).then().statusCode(400)
                .body("message", equalTo("A disk can only grow: 5Gi is not more than its current 10Gi"));
        as(gina).body(Map.of("size", "10Gi")).patch(path).then().statusCode(400);
        as(gina).body(Map.of("size", "lots")).patch(path).then().statusCode(400)
                .body("message", containsString("Kubernetes quantity"));
        as(gina).body(Map.of("size", 20)).patch(path).then().statusCode(400);
        // Past what any disk or a long holds: a 400, not an overflow.
        as(gina).body(Map.of("size", "1e999999999")).patch(path).then().statusCode(400);
        as(gina).body(Map.of("size", "99999999Ei")).patch(path).then().statusCode(400);
        as(gina).body(Map.of()).patch(path).then().statusCode(400);
        as(gina).body(Map.of("size", "25Gi")).patch(path).then().statusCode(403)
                .body("message", equalTo("25Gi is over profile cpu's max_size of 20Gi (claim-gina is 10Gi now)"));
        assertEquals(10 * GI, requested("claim-gina"));
        // Within it: the claim's request changes; the resizer has not acted yet (the mock has none).
        as(gina).body(Map.of("size", "15Gi")).patch(path).then().statusCode(200)
                .body("requested", equalTo("15Gi"))
                .body("capacity", equalTo("10Gi"))
                .body("resizing", equalTo(true))
                .body("restart_required", equalTo(false));
        assertEquals(15 * GI, requested("claim-gina"));
        // The resizer grew the volume; the file system grows when a pod next mounts it.
        client.persistentVolumeClaims().inNamespace(NS).withName("claim-gina").editStatus(c -> {
            c.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimConditionBuilder()
                    .withType("FileSystemResizePending").withStatus("True").build()));
            return c;
        });
        as(gina).get("/hub/api/users/gina@example.com/volumes").then().body("[0].restart_required", equalTo(true));
    }

    @Test
    void aClassWithoutExpansionAndAnUnprovisionedDiskCannotGrow() {
        String hal = userWithToken("hal@example.com");
        claim("claim-hal", "hal@example.com", "", null, "standard", 10, "Bound");
        claim("claim-hal--new", "hal@example.com", "new", null, "standard-rwo", 10, "Pending");
        as(hal).body(Map.of("size", "11Gi")).patch("/hub/api/users/hal@example.com/volumes/claim-hal").then().statusCode(400)
                .body("message", equalTo("claim-hal cannot grow: its storage class standard does not allow volume expansion"));
        as(hal).body(Map.of("size", "11Gi")).patch("/hub/api/users/hal@example.com/volumes/claim-hal--new").then().statusCode(409)
                .body("message", containsString("not provisioned yet (Pending)"));
        as(hal).get("/hub/api/users/hal@example.com/volumes").then().body("find { it.name == 'claim-hal' }.expandable", equalTo(false));
    }

    @Test
    void groupLimitsBoundGrowingAndStarting() {
        String carol = userWithToken("carol@example.com");
        userWithToken("dave@example.com");
        admin().body(Map.of("users", List.of("carol@example.com", "dave@example.com"))).post("/hub/api/groups/data-science")
                .then().statusCode(201);
        claim("claim-carol", "carol@example.com", "", "big", "premium-rwo", 10, "Bound");
        claim("claim-dave", "dave@example.com", "", "big", "premium-rwo", 15, "Bound");
        as(carol).body(Map.of("size", "20Gi")).patch("/hub/api/users/carol@example.com/volumes/claim-carol").then().statusCode(403)
                .body("message", equalTo("Group data-science's disks would total 35Gi, over its limit of 30Gi"
                        + " (25Gi now; growing claim-carol from 10Gi to 20Gi)"));
        assertEquals(10 * GI, requested("claim-carol"));
        as(carol).body(Map.of("size", "15Gi")).patch("/hub/api/users/carol@example.com/volumes/claim-carol").then().statusCode(200);
        // 30Gi of 30Gi: a start that would make a new 10Gi disk is refused before anything is created.
        as(carol).body(Map.of("profile", "big")).post("/hub/api/users/carol@example.com/servers/more").then().statusCode(403)
                .body("message", equalTo("Group data-science's disks would total 40Gi, over its limit of 30Gi"
                        + " (30Gi now; starting more creates a 10Gi disk)"));
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("claim-carol-40example-2ecom--more").get());
        assertNull(client.pods().inNamespace(NS).withName("jupyter-carol-40example-2ecom--more").get());
        // The admin sees the group's total against its limit.
        admin().get("/hub/api/volumes").then().statusCode(200)
                .body("totals.group.data-science.requested", equalTo("30Gi"))
                .body("totals.group.data-science.limit", equalTo("30Gi"))
                .body("totals.group.data-science.count", equalTo(2));
    }

    @Test
    void aDiskInUseIsNotDeletedOneStoppedIs() {
        String ivan = userWithToken("ivan@example.com");
        claim("claim-ivan", "ivan@example.com", "", "cpu", "standard-rwo", 10, "Bound");
        claim("claim-ivan--old", "ivan@example.com", "old", "cpu", "standard-rwo", 10, "Bound");
        // A server pod mounting claim-ivan, as the spawner makes them.
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("jupyter-ivan")
                .withLabels(io.ganymede.hub.spawner.kubernetes.PodBuilder.selectorLabels(false)).endMetadata()
                .withNewSpec().addNewContainer().withName("notebook").withImage("x").endContainer()
                .addNewVolume().withName("home").withNewPersistentVolumeClaim().withClaimName("claim-ivan").endPersistentVolumeClaim().endVolume()
                .endSpec().withNewStatus().withPhase("Running").endStatus().build()).create();
        awaitInUse(ivan, "claim-ivan");
        as(ivan).delete("/hub/api/users/ivan@example.com/volumes/claim-ivan").then().statusCode(409)
                .body("message", equalTo("claim-ivan is in use by a running server; stop it first"));
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("claim-ivan").get());
        as(ivan).delete("/hub/api/users/ivan@example.com/volumes/claim-ivan--old").then().statusCode(204);
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("claim-ivan--old").get());
        as(ivan).get("/hub/api/users/ivan@example.com/volumes").then().body("name", contains("claim-ivan"));
    }

    private void awaitInUse(String token, String claim) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Boolean.TRUE.equals(as(token).get("/hub/api/users/ivan@example.com/volumes").then().extract()
                .path("find { it.name == '" + claim + "' }.in_use"))) {
            if (System.nanoTime() > until) {
                throw new AssertionError(claim + " never seen in use");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void adminsSeeAllDisksLargestFirstWithTotalsAndOrphans() {
        userWithToken("olga@example.com");
        claim("claim-olga", "olga@example.com", "", "cpu", "standard-rwo", 20, "Bound");
        claim("claim-olga--gone", "olga@example.com", "gone", "cpu", "standard-rwo", 5, "Bound");
        claim("claim-ghost", "ghost@example.com", "", "cpu", "premium-rwo", 200, "Bound");
        var body = admin().get("/hub/api/volumes").then().statusCode(200)
                .body("orphans.name", hasItem("claim-ghost"))
                .body("orphans.name", hasItem("claim-olga--gone"))
                .body("orphans.name", not(hasItem("claim-olga")))
                .body("volumes.find { it.name == 'claim-ghost' }.orphan", equalTo(true))
                .body("volumes.find { it.name == 'claim-olga' }.orphan", equalTo(false))
                .extract();
        List<Long> sizes = body.jsonPath().getList("volumes.requested_bytes", Long.class);
        for (int i = 1; i < sizes.size(); i++) {
            if (sizes.get(i) > sizes.get(i - 1)) {
                throw new AssertionError("not largest first: " + sizes);
            }
        }
        long premium = body.jsonPath().getLong("totals.storage_class.premium-rwo.requested_bytes");
        long premiumSum = body.jsonPath().getList("volumes.findAll { it.storage_class == 'premium-rwo' }.requested_bytes", Long.class)
                .stream().mapToLong(Long::longValue).sum();
        assertEquals(premiumSum, premium);
        // An orphan whose user is gone is deleted by where it lives; only by an admin of everyone.
        String olga = userWithToken("olga@example.com");
        as(olga).delete("/hub/api/volumes/ganymede/claim-ghost").then().statusCode(403);
        admin().delete("/hub/api/volumes/ganymede/claim-nothing").then().statusCode(404);
        admin().delete("/hub/api/volumes/ganymede/claim-ghost").then().statusCode(204);
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("claim-ghost").get());
        // A limited group with no disks is listed with its limit.
        admin().get("/hub/api/volumes").then().body("totals.group.interns.requested", equalTo("0"))
                .body("totals.group.interns.limit", equalTo("100Gi"));
    }

    @Test
    void deletingAUserDeletesTheirServersClaims() {
        String erin = userWithToken("erin@example.com");
        as(erin).put("/hub/api/users/erin@example.com/servers/exp").then().statusCode(201);
        claim("claim-erin-40example-2ecom", "erin@example.com", "", "cpu", "standard-rwo", 10, "Bound");
        claim("claim-erin-40example-2ecom--exp", "erin@example.com", "exp", "cpu", "standard-rwo", 10, "Bound");
        admin().delete("/hub/api/users/erin@example.com").then().statusCode(204);
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("claim-erin-40example-2ecom").get());
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("claim-erin-40example-2ecom--exp").get());
    }
}
