package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.e2e.testbed.Testbed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Users' disks on the real control plane (the test bed): the hub with the kubernetes spawner and
 * {@code profiles/profiles.yaml}, holding only what {@code k8s/base/hub-rbac.yaml} grants. A user
 * grows their disk with their own token and the claim's request changes, the stand-in resizer and
 * kubelet report the file system resize as Kubernetes does; they delete a stopped server's disk
 * and the claim goes; deleting a user removes every claim of theirs, also a stopped default
 * server's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageTest {

    private static final String ADMIN = "e2e-storage-admin-token";
    private static final String NAMESPACE = "storage-e2e";
    private static final String JUPYTER_IMAGE = "quay.io/jupyter/scipy-notebook:2025-10-20";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Testbed testbed;
    private static KubernetesClient kube;
    private static HubProcess hub;
    /** The user's own token: every storage call below is the owner's, never the admin's. */
    private static String owner;

    @BeforeAll
    static void start() throws Exception {
        testbed = Testbed.shared(HubProcess.ROOT);
        kube = testbed.client();
        testbed.namespace(NAMESPACE);
        testbed.kubelet().image(JUPYTER_IMAGE, List.of(Peers.JupyterHub.V6_1.require().singleUser().toString()));
        hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_SPAWNER_KIND", "kubernetes",
                "KUBECONFIG", testbed.hubKubeconfig(HubProcess.ROOT, NAMESPACE).toString(),
                "GANYMEDE_KUBERNETES_NAMESPACE", NAMESPACE,
                "GANYMEDE_PROFILES_PATH", HubProcess.ROOT.resolve("profiles/profiles.yaml").toString()));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        assertEquals(201, call(ADMIN, "POST", "/users/" + Names.path(Names.OBRIEN), null).statusCode());
        owner = JSON.readTree(call(ADMIN, "POST", "/users/" + Names.path(Names.OBRIEN) + "/tokens", "{}").body())
                .get("token").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void aUserGrowsTheirDiskAndTheClaimsRequestChanges() throws Exception {
        String user = "/users/" + Names.path(Names.OBRIEN);
        startAndAwaitReady(user + "/server", "{\"profile\": \"cpu-small\"}");
        JsonNode disks = JSON.readTree(call(owner, "GET", user + "/volumes", null).body());
        assertEquals(1, disks.size(), disks.toString());
        JsonNode disk = disks.get(0);
        String claim = disk.get("name").asText();
        assertEquals("", disk.get("server").asText());
        assertEquals("cpu-small", disk.get("profile").asText());
        assertEquals("pd", disk.get("kind").asText());
        assertEquals("standard-rwo", disk.get("storage_class").asText());
        assertEquals("10Gi", disk.get("capacity").asText());
        assertEquals("100Gi", disk.get("max_size").asText());
        assertEquals("Bound", disk.get("phase").asText());
        assertTrue(disk.get("in_use").asBoolean());
        assertTrue(disk.get("expandable").asBoolean());
        // No Prometheus is configured: the fill is unknown, and says why.
        assertTrue(disk.get("used_bytes").isNull());
        assertTrue(disk.get("used_unknown_reason").asText().contains("prometheus-url"), disk.toString());

        // Refusals change nothing: in use, shrinking, past the profile's max_size.
        assertEquals(409, call(owner, "DELETE", user + "/volumes/" + claim, null).statusCode());
        assertEquals(400, call(owner, "PATCH", user + "/volumes/" + claim, "{\"size\": \"5Gi\"}").statusCode());
        HttpResponse<String> tooBig = call(owner, "PATCH", user + "/volumes/" + claim, "{\"size\": \"200Gi\"}");
        assertEquals(403, tooBig.statusCode());
        assertTrue(tooBig.body().contains("max_size of 100Gi"), tooBig.body());
        assertEquals(new Quantity("10Gi"), request(claim));

        HttpResponse<String> grown = call(owner, "PATCH", user + "/volumes/" + claim, "{\"size\": \"15Gi\"}");
        assertEquals(200, grown.statusCode(), grown.body());
        assertEquals(15L << 30, Quantity.getAmountInBytes(request(claim)).longValue());
        // The resizer grew the volume; the file system waits for the next mount, as the hub reports.
        JsonNode after = JSON.readTree(grown.body());
        assertEquals("15Gi", after.get("requested").asText());
        assertTrue(after.get("restart_required").asBoolean(), after.toString());
        assertEquals("10Gi", after.get("capacity").asText());
        assertEquals(15L << 30, Quantity.getAmountInBytes(
                kube.persistentVolumes().withName(kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claim).get()
                        .getSpec().getVolumeName()).get().getSpec().getCapacity().get("storage")).longValue());

        // A restart mounts it again: the file system has grown, nothing is pending.
        String pod = podOf(claim);
        stopAndAwaitGone(user + "/server", pod);
        startAndAwaitReady(user + "/server", "{\"profile\": \"cpu-small\"}");
        await(() -> {
            PersistentVolumeClaim c = kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claim).get();
            return new Quantity("15Gi").equals(c.getStatus().getCapacity().get("storage"));
        }, Duration.ofSeconds(30), "the claim's capacity never became 15Gi");
        JsonNode now = JSON.readTree(call(owner, "GET", user + "/volumes", null).body()).get(0);
        assertEquals("15Gi", now.get("capacity").asText());
        assertFalse(now.get("restart_required").asBoolean(), now.toString());
    }

    @Test
    @Order(2)
    void aUserDeletesAStoppedServersDiskAndTheClaimIsGone() throws Exception {
        String server = "/users/" + Names.path(Names.OBRIEN) + "/servers/scratch";
        startAndAwaitReady(server, "{\"profile\": \"cpu-small\"}");
        JsonNode disks = JSON.readTree(call(owner, "GET", "/users/" + Names.path(Names.OBRIEN) + "/volumes", null).body());
        String claim = null;
        for (JsonNode d : disks) {
            if (d.get("server").asText().equals("scratch")) {
                claim = d.get("name").asText();
            }
        }
        assertNotNull(claim, disks.toString());
        String scratchClaim = claim;
        stopAndAwaitGone(server, podOf(scratchClaim));
        // Stopping keeps it.
        assertNotNull(kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(scratchClaim).get());
        assertEquals(204, call(owner, "DELETE", "/users/" + Names.path(Names.OBRIEN) + "/volumes/" + scratchClaim, null)
                .statusCode());
        await(() -> kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(scratchClaim).get() == null,
                Duration.ofSeconds(60), "the deleted disk's claim is still there");
        JsonNode left = JSON.readTree(call(owner, "GET", "/users/" + Names.path(Names.OBRIEN) + "/volumes", null).body());
        assertEquals(1, left.size(), left.toString());
        // The admin's view: the remaining disk, its class's total.
        JsonNode all = JSON.readTree(call(ADMIN, "GET", "/volumes", null).body());
        assertEquals(15L << 30, all.path("totals").path("storage_class").path("standard-rwo").path("requested_bytes").asLong(),
                all.toString());
    }

    @Test
    @Order(3)
    void deletingAUserRemovesTheirClaims() throws Exception {
        String user = "/users/" + Names.path(Names.OBRIEN);
        JsonNode disks = JSON.readTree(call(owner, "GET", user + "/volumes", null).body());
        String claim = disks.get(0).get("name").asText();
        // Stopped first: the server record stays, its disk is what the user leaves behind.
        stopAndAwaitGone(user + "/server", podOf(claim));
        assertEquals(204, call(ADMIN, "DELETE", user, null).statusCode());
        await(() -> kube.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().isEmpty(),
                Duration.ofSeconds(60), "claims left after the user was deleted: "
                        + kube.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().stream()
                                .map(c -> c.getMetadata().getName()).toList());
    }

    private static Quantity request(String claim) {
        return kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claim).get()
                .getSpec().getResources().getRequests().get("storage");
    }

    private static String podOf(String claim) {
        return kube.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> p.getSpec().getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
                        && claim.equals(v.getPersistentVolumeClaim().getClaimName())))
                .map(p -> p.getMetadata().getName()).findFirst()
                .orElseThrow(() -> new AssertionError("no pod mounts " + claim));
    }

    private static void startAndAwaitReady(String api, String options) throws Exception {
        int started = call(owner, "POST", api, options).statusCode();
        assertTrue(started == 201 || started == 202, "start answered " + started);
        String progress = call(owner, "GET", api + "/progress", null).body();
        assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText() + "\n" + testbed.logs());
    }

    private static void stopAndAwaitGone(String api, String pod) throws Exception {
        int stopped = call(owner, "DELETE", api, null).statusCode();
        assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
        await(() -> kube.pods().inNamespace(NAMESPACE).withName(pod).get() == null, Duration.ofSeconds(60),
                "pod " + pod + " still there");
    }

    private static HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(120));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(200);
        }
    }
}
