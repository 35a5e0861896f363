package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ganymede.e2e.testbed.FakeNodes;
import io.ganymede.e2e.testbed.Testbed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The hub with {@code ganymede.spawner.kind=kubernetes} against a real API server, scheduler and
 * controller manager (the test bed), with the example {@code profiles/profiles.yaml} as an admin
 * deploys it: pods are created, scheduled on the node their profile asks for, their disks
 * provisioned and bound, and the real {@code jupyterhub-singleuser} in them is reached through the
 * proxy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesSpawnerTest {

    private static final String ADMIN = "e2e-kube-admin-token";
    private static final String NAMESPACE = "kube-spawner-e2e";
    private static final String CAROL = "carol.diaz@example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The images profiles.yaml names, and the single-user server the stand-in kubelet runs for
     * each: JupyterHub 6.1's (JupyterLab 4.6) for the CPU image, 5.5's (z2jh 4.4's) for the GPU one.
     */
    private static final Map<String, Peers.JupyterHub> JUPYTER_IMAGES = Map.of(
            "quay.io/jupyter/scipy-notebook:2025-10-20", Peers.JupyterHub.V6_1,
            "quay.io/jupyter/pytorch-notebook:cuda12-2025-10-20", Peers.JupyterHub.V5_5);

    private static final String CODE_SERVER_IMAGE = "codercom/code-server:4.96.2";

    private static Testbed testbed;
    private static KubernetesClient kube;
    private static HubProcess hub;
    /** The claim of Alice's default server, made by her first start. */
    private static String aliceDisk;
    private final HttpClient api = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        testbed = Testbed.shared(HubProcess.ROOT);
        kube = testbed.client();
        testbed.namespace(NAMESPACE);
        JUPYTER_IMAGES.forEach((image, release) -> testbed.kubelet().image(image,
                List.of(release.require().singleUser().toString())));
        // code-server's image runs code-server from npm; nothing leaves the machine.
        testbed.kubelet().image(CODE_SERVER_IMAGE, List.of(Peers.codeServer().toString(),
                "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust"),
                Map.of("EXTENSIONS_GALLERY", "{\"serviceUrl\": \"http://127.0.0.1:9/\"}"));
        // What profiles.yaml expects the admin to have made: the GCSFuse profile's service account
        // and the team's Filestore share.
        kube.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("notebook-user").endMetadata().build()).create();
        kube.persistentVolumeClaims().inNamespace(NAMESPACE).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("home-shared").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("standard-rwx")
                .withNewResources().addToRequests("storage", new Quantity("1Ti")).endResources().endSpec()
                .build()).create();
        // The hub holds only what k8s/base/hub-rbac.yaml grants it.
        hub = new HubProcess(testbed.hubEnv(HubProcess.ROOT, NAMESPACE, Map.of("GANYMEDE_ADMIN_TOKEN", ADMIN)));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        for (String user : List.of(Names.ALICE, Names.OBRIEN, CAROL)) {
            assertEquals(201, call("POST", "/users/" + Names.path(user), null).statusCode());
        }
        // The GPU profiles are the "ml" group's.
        assertEquals(201, call("POST", "/groups/ml", JSON.writeValueAsString(
                Map.of("users", List.of(Names.ALICE, Names.OBRIEN, CAROL)))).statusCode());
    }

    /** Every start here succeeds: one that failed after its watchers were told it was ready would show only here. */
    @AfterEach
    void noStartFailed() throws Exception {
        assertFalse(hub.logText().contains("failed to start"), hub.logText());
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void aDiskFollowsItsUserFromOneStartToTheNext() throws Exception {
        String alice = Names.path(Names.ALICE);
        String prefix = Names.prefix(Names.ALICE, "");
        startAndAwaitReady("/users/" + alice + "/server", "{\"profile\": \"cpu-small\"}");

        Pod pod = serverPod(Names.ALICE, "");
        // No node selector: any node without a GPU taint.
        assertTrue(List.of(FakeNodes.CPU, FakeNodes.HIGHMEM).contains(pod.getSpec().getNodeName()), pod.getSpec().getNodeName());
        String claim = pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName();
        aliceDisk = claim;
        PersistentVolumeClaim pvc = kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claim).get();
        assertEquals("Bound", pvc.getStatus().getPhase());
        assertEquals("standard-rwo", pvc.getSpec().getStorageClassName());
        assertEquals(new Quantity("10Gi"), pvc.getStatus().getCapacity().get("storage"));
        assertNoPodSecurityWarnings(pod);

        // Alice signs in through the proxy (the server's OAuth step with the hub), runs a kernel
        // over its WebSocket, and writes a file in her home.
        Browser browser = new Browser();
        HttpResponse<String> lab = browser.signIn(browser.open(hub.publicUrl(prefix + "lab")), Names.ALICE);
        assertEquals(200, lab.statusCode(), lab.uri() + " " + lab.body());
        String token = JSON.readTree(call("POST", "/users/" + alice + "/tokens", "{\"note\": \"e2e\"}").body())
                .get("token").asText();
        Kernels.assertOnePlusOne(browser.http, hub.publicUrl(prefix), Names.ALICE, token);
        HttpResponse<String> saved = server("PUT", prefix + "api/contents/notes.txt", token,
                "{\"type\": \"file\", \"format\": \"text\", \"content\": \"kept on the disk\"}");
        assertEquals(201, saved.statusCode(), saved.body());

        // Stopped: the pod goes, the claim stays.
        stopAndAwaitGone("/users/" + alice + "/server", pod.getMetadata().getName());
        assertNotNull(kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claim).get());

        // Started again: a new pod, the same disk, the file still there.
        startAndAwaitReady("/users/" + alice + "/server", "{\"profile\": \"cpu-small\"}");
        Pod again = serverPod(Names.ALICE, "");
        assertTrue(!again.getMetadata().getUid().equals(pod.getMetadata().getUid()));
        HttpResponse<String> read = server("GET", prefix + "api/contents/notes.txt", token, null);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("kept on the disk", JSON.readTree(read.body()).path("content").asText());

        // In a real browser: the server's OAuth step with the hub, then her files in her server's page.
        try (Chromium chromium = new Chromium()) {
            chromium.driver.get(hub.publicUrl(prefix + "lab"));
            WebElement name = chromium.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
            name.sendKeys(Names.ALICE);
            name.submit();
            // JupyterLab's file browser lists it once the page has asked the server.
            chromium.wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.xpath("//*[contains(@class,'jp-DirListing-itemText')][contains(., 'notes.txt')]")));
            assertTrue(chromium.driver.getCurrentUrl().startsWith(hub.publicUrl(prefix + "lab")), chromium.driver.getCurrentUrl());
            chromium.shot("kubernetes-server");
        }
        stopAndAwaitGone("/users/" + alice + "/server", again.getMetadata().getName());
    }

    @Test
    @Order(2)
    void gpusGoWhereTheyAreAndAThirdStartWaitsForOne() throws Exception {
        String obrienApi = "/users/" + Names.path(Names.OBRIEN) + "/server";
        startAndAwaitReady(obrienApi, "{\"profile\": \"gpu-t4\"}");
        Pod first = serverPod(Names.OBRIEN, "");
        assertEquals(FakeNodes.GPU_T4, first.getSpec().getNodeName());
        assertEquals(new Quantity("1"), first.getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
        assertNoPodSecurityWarnings(first);

        // Alice picks the same profile for a named server on the spawn page.
        Browser alice = new Browser();
        String spawnPage = hub.publicUrl("/hub/spawn/" + Names.path(Names.ALICE) + "/" + Names.path(Names.SERVER));
        HttpResponse<String> form = alice.signIn(alice.open(spawnPage), Names.ALICE);
        assertEquals(200, form.statusCode(), form.uri() + " " + form.body());
        assertTrue(form.body().contains("data-profile=\"gpu-t4\""), form.body());
        HttpResponse<String> submitted = alice.submit(spawnPage, Map.of("_xsrf", alice.cookie("_xsrf"), "profile", "gpu-t4"));
        assertEquals(200, submitted.statusCode(), submitted.uri() + " " + submitted.body());
        String aliceApi = "/users/" + Names.path(Names.ALICE) + "/servers/" + Names.path(Names.SERVER);
        String progress = call("GET", aliceApi + "/progress", null).body();
        assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText());
        assertRunning(aliceApi);
        assertEquals(FakeNodes.GPU_T4, serverPod(Names.ALICE, Names.SERVER).getSpec().getNodeName());

        // Both T4s are taken: Carol's picker says so, and her start waits, unschedulable.
        String carolToken = JSON.readTree(call("POST", "/users/" + Names.path(CAROL) + "/tokens", "{}").body()).get("token").asText();
        await(() -> capacity(carolToken).path("gpus_free").asInt(-1) == 0, Duration.ofSeconds(30),
                "the picker still counts a free T4: " + capacity(carolToken));
        JsonNode room = capacity(carolToken);
        assertTrue(!room.path("fits").asBoolean(true) && room.path("text").asText().contains("no T4 free"), room.toString());
        String carolApi = "/users/" + Names.path(CAROL) + "/server";
        assertEquals(202, call("POST", carolApi, "{\"profile\": \"gpu-t4\"}").statusCode());
        await(() -> unschedulable(CAROL), Duration.ofSeconds(60), "Carol's pod is not reported unschedulable");
        assertEquals("spawn", JSON.readTree(call("GET", "/users/" + Names.path(CAROL), null).body())
                .path("servers").path("").path("pending").asText());

        // O'Brien stops: the scheduler gives his T4 to Carol, whose start then completes.
        stopAndAwaitGone(obrienApi, first.getMetadata().getName());
        String carolProgress = call("GET", carolApi + "/progress", null).body();
        assertTrue(carolProgress.contains("\"ready\":true"), carolProgress + "\n" + hub.logText());
        assertRunning(carolApi);
        assertEquals(FakeNodes.GPU_T4, serverPod(CAROL, "").getSpec().getNodeName());
        stopAndAwaitGone(aliceApi, serverPod(Names.ALICE, Names.SERVER).getMetadata().getName());
    }

    @Test
    @Order(3)
    void theTeamsFilestoreShareAndABucketAsHome() throws Exception {
        assertEquals(201, call("POST", "/groups/data-science", JSON.writeValueAsString(
                Map.of("users", List.of(Names.ALICE)))).statusCode());
        // Alice's named server on the high-memory pool, her own folder of the team's share as home.
        String aliceApi = "/users/" + Names.path(Names.ALICE) + "/servers/" + Names.path(Names.SERVER);
        startAndAwaitReady(aliceApi, "{\"profile\": \"cpu-large\"}");
        Pod large = serverPod(Names.ALICE, Names.SERVER);
        assertEquals(FakeNodes.HIGHMEM, large.getSpec().getNodeName());
        assertEquals("home-shared", large.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        String subPath = large.getSpec().getContainers().get(0).getVolumeMounts().get(0).getSubPath();
        assertTrue(subPath.startsWith("home/alice"), subPath);
        assertNoPodSecurityWarnings(large);
        String aliceToken = token(Names.ALICE);
        assertEquals(201, server("PUT", Names.prefix(Names.ALICE, Names.SERVER) + "api/contents/shared.txt", aliceToken,
                "{\"type\": \"file\", \"format\": \"text\", \"content\": \"on the share\"}").statusCode());
        String share = kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName("home-shared").get().getSpec().getVolumeName();
        assertEquals("on the share", Files.readString(testbed.volumeFolder(share).resolve(subPath).resolve("shared.txt")));

        // O'Brien's bucket, mounted by GKE's GCSFuse driver, with the profile's service account, on the L4 node.
        String obrienApi = "/users/" + Names.path(Names.OBRIEN) + "/server";
        startAndAwaitReady(obrienApi, "{\"profile\": \"gpu-l4\"}");
        Pod l4 = serverPod(Names.OBRIEN, "");
        assertEquals(FakeNodes.GPU_L4, l4.getSpec().getNodeName());
        assertEquals("notebook-user", l4.getSpec().getServiceAccountName());
        assertEquals("true", l4.getMetadata().getAnnotations().get("gke-gcsfuse/volumes"));
        String bucket = l4.getSpec().getVolumes().get(0).getCsi().getVolumeAttributes().get("bucketName");
        assertTrue(bucket.endsWith("-notebooks"), bucket);
        assertNoPodSecurityWarnings(l4);
        assertEquals(201, server("PUT", Names.prefix(Names.OBRIEN, "") + "api/contents/bucket.txt", token(Names.OBRIEN),
                "{\"type\": \"file\", \"format\": \"text\", \"content\": \"in the bucket\"}").statusCode());
        assertEquals("in the bucket", Files.readString(testbed.bucketFolder(bucket).resolve("bucket.txt")));

        stopAndAwaitGone(aliceApi, large.getMetadata().getName());
        stopAndAwaitGone(obrienApi, l4.getMetadata().getName());
    }

    @Test
    @Order(4)
    void deletingAUserOrANamedServerDeletesItsPodAndItsOwnDisk() throws Exception {
        // Carol still runs her T4 server, on a disk of her own.
        Pod carol = serverPod(CAROL, "");
        String carolClaim = carol.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName();
        assertEquals(204, call("DELETE", "/users/" + Names.path(CAROL), null).statusCode());
        assertEquals(404, call("GET", "/users/" + Names.path(CAROL), null).statusCode());
        await(() -> kube.pods().inNamespace(NAMESPACE).withName(carol.getMetadata().getName()).get() == null,
                Duration.ofSeconds(60), "Carol's pod is still there");
        await(() -> kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(carolClaim).get() == null,
                Duration.ofSeconds(60), "Carol's disk is still there");

        // Alice's named server had a disk of its own (its T4 start); removing the server removes it,
        // while her default server's disk and the team's share stay.
        String named = kube.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().stream()
                .map(c -> c.getMetadata().getName()).filter(n -> n.startsWith("claim-alice") && !n.equals(aliceDisk))
                .findFirst().orElseThrow(() -> new AssertionError("no claim of Alice's named server"));
        String aliceApi = "/users/" + Names.path(Names.ALICE) + "/servers/" + Names.path(Names.SERVER);
        assertEquals(204, call("DELETE", aliceApi, "{\"remove\": true}").statusCode());
        await(() -> kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(named).get() == null,
                Duration.ofSeconds(60), "the named server's disk is still there");
        assertNotNull(kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(aliceDisk).get());
        assertNotNull(kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName("home-shared").get());
        assertTrue(kube.pods().inNamespace(NAMESPACE).list().getItems().isEmpty(), "pods left over");
    }


    @Test
    @Order(5)
    void codeServerInItsPodBehindTheProxy() throws Exception {
        String api = "/users/" + Names.path(Names.OBRIEN) + "/server";
        startAndAwaitReady(api, "{\"profile\": \"code-server\"}");
        Pod pod = serverPod(Names.OBRIEN, "");
        assertEquals(CODE_SERVER_IMAGE, pod.getSpec().getContainers().get(0).getImage());
        assertEquals("code-server", pod.getMetadata().getAnnotations().get("ganymede.io/app"));
        assertNoPodSecurityWarnings(pod);

        // The proxy guards it (code-server has no hub login of its own): not signed in, the hub asks
        // who it is; signed in, the workbench page is served at the prefix, stripped for code-server.
        String prefix = Names.prefix(Names.OBRIEN, "");
        Browser browser = new Browser();
        HttpResponse<String> login = browser.open(hub.publicUrl(prefix));
        assertEquals("/hub/login", login.uri().getPath(), login.uri().toString());
        HttpResponse<String> workbench = browser.signIn(login, Names.OBRIEN);
        assertEquals(200, workbench.statusCode(), workbench.uri() + " " + workbench.body());
        assertTrue(workbench.uri().getRawPath().startsWith(prefix), workbench.uri().toString());
        assertTrue(workbench.body().contains("workbench"), workbench.body());
        Browser alice = new Browser();
        assertEquals(403, alice.signIn(alice.open(hub.publicUrl(prefix)), Names.ALICE).statusCode());
        stopAndAwaitGone(api, pod.getMetadata().getName());
    }

    private boolean unschedulable(String user) {
        return kube.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> user.equals(p.getMetadata().getAnnotations().get("hub.jupyter.org/username")))
                .anyMatch(p -> p.getStatus() != null && p.getStatus().getConditions() != null
                        && p.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType())
                                && "Unschedulable".equals(c.getReason())));
    }

    private JsonNode capacity(String token) {
        try {
            return JSON.readTree(api.send(HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api/profiles/capacity")))
                    .header("Authorization", "token " + token).build(), HttpResponse.BodyHandlers.ofString()).body()).path("gpu-t4");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(String user) throws Exception {
        return JSON.readTree(call("POST", "/users/" + Names.path(user) + "/tokens", "{}").body()).get("token").asText();
    }

    private void startAndAwaitReady(String api, String options) throws Exception {
        int started = call("POST", api, options).statusCode();
        assertTrue(started == 201 || started == 202, "start answered " + started);
        String progress = call("GET", api + "/progress", null).body();
        assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText() + "\n" + testbed.logs());
        assertRunning(api);
    }

    /** The hub's own record agrees with the progress stream: the server runs, nothing pending. */
    private static void assertRunning(String api) throws Exception {
        String[] parts = api.split("/");
        JsonNode server = JSON.readTree(call("GET", "/users/" + parts[2], null).body()).path("servers")
                .path(parts.length > 4 ? java.net.URLDecoder.decode(parts[4], StandardCharsets.UTF_8) : "");
        assertTrue(server.path("ready").asBoolean() && server.path("pending").isNull(), api + ": " + server);
    }

    private void stopAndAwaitGone(String api, String pod) throws Exception {
        int stopped = call("DELETE", api, null).statusCode();
        assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
        await(() -> kube.pods().inNamespace(NAMESPACE).withName(pod).get() == null, Duration.ofSeconds(60),
                "pod " + pod + " still there");
    }

    /** The pod of a user's server, found by the raw-name annotations the spawner puts on it. */
    private Pod serverPod(String user, String server) {
        return kube.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> user.equals(p.getMetadata().getAnnotations().get("hub.jupyter.org/username"))
                        && server.equals(p.getMetadata().getAnnotations().getOrDefault("hub.jupyter.org/servername", "")))
                .findFirst().orElseThrow(() -> new AssertionError("no pod for " + user + " " + server));
    }

    /**
     * The spawner's pod, sent again as a server-side dry run: the namespace enforces Pod Security
     * "baseline" and warns "restricted", and kubectl prints any warning the API server answers.
     */
    private static void assertNoPodSecurityWarnings(Pod pod) throws Exception {
        Pod copy = Serialization.clone(pod);
        copy.setStatus(null);
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setUid(null);
        copy.getMetadata().setCreationTimestamp(null);
        copy.getMetadata().setManagedFields(null);
        copy.getMetadata().setName(pod.getMetadata().getName() + "-check");
        copy.getSpec().setNodeName(null);
        Path file = Files.createTempFile("pod", ".json");
        Files.writeString(file, Serialization.asJson(copy));
        ProcessBuilder builder = new ProcessBuilder("kubectl", "create", "--dry-run=server", "-f", file.toString(), "-o", "name")
                .redirectErrorStream(true);
        builder.environment().put("KUBECONFIG", testbed.kubeconfig().toString());
        Process kubectl = builder.start();
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, kubectl.waitFor(), out);
        assertTrue(!out.contains("Warning"), out);
    }

    private HttpResponse<String> server(String method, String path, String token, String body) throws Exception {
        return api.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(path)))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return hub.api(ADMIN, method, path, body);
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        Await.until(condition, timeout, what);
    }
}
