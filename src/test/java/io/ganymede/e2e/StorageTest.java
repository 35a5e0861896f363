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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Users' disks on the real control plane (the test bed): the hub with the kubernetes spawner and
 * {@code profiles/profiles.yaml}, holding only what {@code k8s/base/hub-rbac.yaml} grants. A user
 * grows their disk with their own token and the claim's request changes, the stand-in resizer and
 * kubelet report the file system resize as Kubernetes does; the Storage sections of the home and
 * admin pages in headless Chromium (screenshots under {@code target/screenshots/storage-*}); they
 * delete a stopped server's disk and the claim goes; deleting a user removes every claim of
 * theirs, also a stopped default server's.
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
        // The data-science group may hold 40Gi of disks in all.
        hub = HubProcess.withConfig("ganymede:\n  storage:\n    group-limits:\n      data-science: 40Gi\n",
                testbed.hubEnv(HubProcess.ROOT, NAMESPACE, Map.of("GANYMEDE_ADMIN_TOKEN", ADMIN)));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        assertEquals(201, call(ADMIN, "POST", "/users/" + Names.path(Names.OBRIEN), null).statusCode());
        owner = JSON.readTree(call(ADMIN, "POST", "/users/" + Names.path(Names.OBRIEN) + "/tokens", "{}").body())
                .get("token").asText();
        assertEquals(201, call(ADMIN, "POST", "/groups/data-science",
                JSON.writeValueAsString(Map.of("users", List.of(Names.OBRIEN)))).statusCode());
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
        Await.until(() -> {
            PersistentVolumeClaim c = kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claim).get();
            return new Quantity("15Gi").equals(c.getStatus().getCapacity().get("storage"));
        }, Duration.ofSeconds(30), "the claim's capacity never became 15Gi");
        JsonNode now = JSON.readTree(call(owner, "GET", user + "/volumes", null).body()).get(0);
        assertEquals("15Gi", now.get("capacity").asText());
        assertFalse(now.get("restart_required").asBoolean(), now.toString());
    }

    @Test
    @Order(2)
    void theStorageSectionInChromium() throws Exception {
        String user = "/users/" + Names.path(Names.OBRIEN);
        String disk = JSON.readTree(call(owner, "GET", user + "/volumes", null).body()).get(0).get("name").asText();
        // A stopped server's disk besides the running one.
        startAndAwaitReady(user + "/servers/notes", "{\"profile\": \"cpu-small\"}");
        String notes = null;
        for (JsonNode d : JSON.readTree(call(owner, "GET", user + "/volumes", null).body())) {
            if (d.get("server").asText().equals("notes")) {
                notes = d.get("name").asText();
            }
        }
        assertNotNull(notes);
        String notesDisk = notes;
        stopAndAwaitGone(user + "/servers/notes", podOf(notesDisk));

        try (Chromium browser = new Chromium()) {
            browser.signIn(hub, Names.OBRIEN, "/hub/home");
            By row = By.cssSelector("#storage tr[data-disk='" + disk + "']");
            WebElement mine = browser.wait.until(ExpectedConditions.visibilityOfElementLocated(row));
            assertTrue(mine.getText().contains("15 GiB"), mine.getText());
            assertTrue(mine.getText().contains("in use"), mine.getText());
            assertEquals("unknown", mine.findElement(By.cssSelector("[data-used]")).getText());
            assertFalse(mine.findElement(By.xpath(".//button[text()='Delete']")).isEnabled(), "a disk in use cannot be deleted");

            // Past the profile's max_size: the API's refusal, with its numbers, on the page.
            WebElement size = mine.findElement(By.name("size"));
            size.clear();
            size.sendKeys("500Gi");
            mine.findElement(By.xpath(".//button[text()='Grow']")).click();
            browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("storage-status"), "max_size of 100Gi"));
            browser.shot("storage-01-refused");
            assertEquals(new Quantity("15Gi"), request(disk));

            // Grown: the claim asks for 20Gi; the page says the server must restart to use it.
            size = browser.driver.findElement(row).findElement(By.name("size"));
            size.clear();
            size.sendKeys("20Gi");
            browser.driver.findElement(row).findElement(By.xpath(".//button[text()='Grow']")).click();
            browser.wait.until(d -> d.findElement(row).getText().contains("20 GiB"));
            assertEquals(new Quantity("20Gi"), request(disk));
            assertFalse(browser.driver.findElement(row).findElements(By.cssSelector("[data-restart-required]")).isEmpty(),
                    browser.driver.findElement(row).getText());

            // The stopped server's disk, deleted after the confirmation.
            By notesRow = By.cssSelector("#storage tr[data-disk='" + notesDisk + "']");
            browser.driver.findElement(notesRow).findElement(By.xpath(".//button[text()='Delete']")).click();
            assertTrue(browser.driver.switchTo().alert().getText().contains("Every file on it is lost"));
            browser.driver.switchTo().alert().accept();
            browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(notesRow));
            Await.until(() -> kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(notesDisk).get() == null,
                    Duration.ofSeconds(60), "the disk deleted on the page is still there");
            browser.shot("storage-02-home");
        }

        // The admin page: every disk, largest first, and the totals; an orphan left by a user
        // deleted while their disks were kept, which the admin deletes there.
        assertEquals(201, call(ADMIN, "POST", "/users/" + Names.path("storage-admin@example.com"), "{\"admin\": true}")
                .statusCode());
        kube.persistentVolumeClaims().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("claim-ghost").withLabels(Map.of("component", "singleuser-storage"))
                .withAnnotations(Map.of("hub.jupyter.org/username", "ghost@example.com")).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard-rwo")
                .withNewResources().addToRequests("storage", new Quantity("5Gi")).endResources().endSpec()
                .build()).create();
        try (Chromium browser = new Chromium()) {
            browser.signIn(hub, "storage-admin@example.com", "/hub/admin");
            WebElement disks = browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("storage-disks")));
            assertTrue(disks.findElement(By.cssSelector("tr[data-disk='" + disk + "']")).getText().contains(Names.OBRIEN),
                    disks.getText());
            // The class's total counts the orphan too: it is paid for all the same.
            String byClass = browser.driver.findElement(By.cssSelector("#storage-by-class tr[data-storage-class='standard-rwo']"))
                    .getText();
            assertTrue(byClass.contains("25 GiB"), byClass);
            String group = browser.driver.findElement(By.cssSelector("#storage-by-group tr[data-storage-group='data-science']"))
                    .getText();
            assertTrue(group.contains("20 GiB") && group.contains("40 GiB"), group);
            ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                    .executeScript("document.getElementById('storage').scrollIntoView()");
            By ghost = By.cssSelector("#storage-disks tr[data-disk='claim-ghost'][data-orphan]");
            assertTrue(browser.driver.findElement(ghost).getText().contains("orphan"));
            browser.shot("storage-03-admin");
            browser.driver.findElement(ghost).findElement(By.xpath(".//button[text()='Delete']")).click();
            browser.driver.switchTo().alert().accept();
            browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(ghost));
            Await.until(() -> kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName("claim-ghost").get() == null,
                    Duration.ofSeconds(60), "the orphan deleted on the admin page is still there");
        }
    }

    @Test
    @Order(3)
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
        // 20Gi and 10Gi held: growing to 35Gi would pass the group's 40Gi.
        HttpResponse<String> overLimit = call(owner, "PATCH", "/users/" + Names.path(Names.OBRIEN) + "/volumes/"
                + disks.get(0).get("name").asText(), "{\"size\": \"35Gi\"}");
        assertEquals(403, overLimit.statusCode(), overLimit.body());
        assertTrue(overLimit.body().contains("Group data-science's disks would total 45Gi, over its limit of 40Gi"),
                overLimit.body());
        stopAndAwaitGone(server, podOf(scratchClaim));
        // Stopping keeps it.
        assertNotNull(kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(scratchClaim).get());
        assertEquals(204, call(owner, "DELETE", "/users/" + Names.path(Names.OBRIEN) + "/volumes/" + scratchClaim, null)
                .statusCode());
        Await.until(() -> kube.persistentVolumeClaims().inNamespace(NAMESPACE).withName(scratchClaim).get() == null,
                Duration.ofSeconds(60), "the deleted disk's claim is still there");
        JsonNode left = JSON.readTree(call(owner, "GET", "/users/" + Names.path(Names.OBRIEN) + "/volumes", null).body());
        assertEquals(1, left.size(), left.toString());
        // The admin's view: the remaining disk, its class's total.
        JsonNode all = JSON.readTree(call(ADMIN, "GET", "/volumes", null).body());
        assertEquals(left.get(0).get("requested_bytes").asLong(),
                all.path("totals").path("storage_class").path("standard-rwo").path("requested_bytes").asLong(), all.toString());
    }

    @Test
    @Order(4)
    void deletingAUserRemovesTheirClaims() throws Exception {
        String user = "/users/" + Names.path(Names.OBRIEN);
        JsonNode disks = JSON.readTree(call(owner, "GET", user + "/volumes", null).body());
        String claim = disks.get(0).get("name").asText();
        // Stopped first: the server record stays, its disk is what the user leaves behind.
        stopAndAwaitGone(user + "/server", podOf(claim));
        assertEquals(204, call(ADMIN, "DELETE", user, null).statusCode());
        Await.until(() -> kube.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().isEmpty(),
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
        hub.startServer(owner, api, options);
    }

    private static void stopAndAwaitGone(String api, String pod) throws Exception {
        int stopped = call(owner, "DELETE", api, null).statusCode();
        assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
        Await.until(() -> kube.pods().inNamespace(NAMESPACE).withName(pod).get() == null, Duration.ofSeconds(60),
                "pod " + pod + " still there");
    }

    private static HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        return hub.api(token, method, path, body);
    }
}
