package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.e2e.testbed.FakeNodes;
import io.ganymede.e2e.testbed.Testbed;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Fair use on the real control plane (the test bed's 2×T4 node), with the example
 * {@code profiles/profiles.yaml}: group vision-lab holds a reservation of 1 of the 2 T4s; a member
 * of nlp-lab gets the other, a second member of nlp-lab is refused with the reason before any pod
 * exists, and a member of vision-lab starts inside the window on the reserved T4. The usage report
 * then matches the recorded sessions to the second; in Chromium, the admin's usage page charts it
 * and takes a reservation from its form, and a user's home page shows her month.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FairUseKubernetesTest {

    private static final String ADMIN = "e2e-fairuse-admin-token";
    private static final String NAMESPACE = "fair-use-e2e";
    private static final String ANN = "ann.lee@example.com";
    private static final String BO = Names.OBRIEN;
    private static final String CY = "cy+gpu@example.com";
    private static final String ROOT = "root@example.com";
    private static final String T4 = "nvidia-tesla-t4";
    private static final String GPU_IMAGE = "quay.io/jupyter/pytorch-notebook:cuda12-2025-10-20";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Testbed testbed;
    private static KubernetesClient kube;
    private static HubProcess hub;

    @BeforeAll
    static void start() throws Exception {
        testbed = Testbed.shared(HubProcess.ROOT);
        kube = testbed.client();
        testbed.namespace(NAMESPACE);
        testbed.kubelet().image(GPU_IMAGE, List.of(Peers.JupyterHub.V5_5.require().singleUser().toString()));
        hub = new HubProcess(testbed.hubEnv(HubProcess.ROOT, NAMESPACE, Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_AUTH_ADMIN_USERS", ROOT)));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        for (String user : List.of(ANN, BO, CY)) {
            assertEquals(201, call("POST", "/users/" + Names.path(user), null, ADMIN).statusCode());
        }
        // The GPU profiles are the "ml" group's; the labs are who quotas and reservations are for.
        group("ml", ANN, BO, CY);
        group("vision-lab", ANN);
        group("nlp-lab", BO, CY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void aReservedT4IsHeldForItsGroupAndUsageMatchesTheSessions() throws Exception {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // The cluster cannot honour 3 T4s; 1 of its 2 it can.
        HttpResponse<String> tooMany = call("POST", "/reservations", JSON.writeValueAsString(Map.of("group", "vision-lab",
                "gpu", T4, "gpus", 3, "end", from.plus(Duration.ofHours(1)).toString())), ADMIN);
        assertEquals(400, tooMany.statusCode(), tooMany.body());
        assertEquals("Cannot reserve 3 T4 GPUs: the cluster has " + FakeNodes.T4_GPUS, message(tooMany));
        HttpResponse<String> reserved = call("POST", "/reservations", JSON.writeValueAsString(Map.of("group", "vision-lab",
                "gpu", T4, "gpus", 1, "start", from.minusSeconds(1).toString(),
                "end", from.plus(Duration.ofHours(1)).toString(), "note", "course week")), ADMIN);
        assertEquals(201, reserved.statusCode(), reserved.body());
        assertTrue(JSON.readTree(reserved.body()).path("active").asBoolean(), reserved.body());
        // A second reservation of both T4s in the same window does not fit beside it.
        HttpResponse<String> overlapping = call("POST", "/reservations", JSON.writeValueAsString(Map.of("group", "nlp-lab",
                "gpu", T4, "gpus", 2, "end", from.plus(Duration.ofMinutes(30)).toString())), ADMIN);
        assertEquals(409, overlapping.statusCode(), overlapping.body());

        // Bo (nlp-lab) gets the free T4.
        String bo = "/users/" + Names.path(BO) + "/server";
        startAndAwaitReady(bo);
        Pod boPod = serverPod(BO).orElseThrow();
        assertEquals(FakeNodes.GPU_T4, boPod.getSpec().getNodeName());

        // Cy (nlp-lab) sees the other T4 as reserved, and her start is refused with the reason; no pod is made.
        String cyToken = token(CY);
        Await.until(() -> capacity(cyToken).path("gpus_free").asInt(-1) == 0, Duration.ofSeconds(30),
                "the picker still offers Cy a T4: " + capacity(cyToken));
        assertEquals("no T4 free for you now: 1 reserved for other groups", capacity(cyToken).path("text").asText());
        HttpResponse<String> refused = call("POST", "/users/" + Names.path(CY) + "/server", "{\"profile\": \"gpu-t4\"}", cyToken);
        assertEquals(403, refused.statusCode(), refused.body());
        JsonNode why = JSON.readTree(refused.body());
        assertEquals(403, why.path("status").asInt());
        assertTrue(why.path("message").asText().startsWith("No T4 GPU is free for you now: 1 of the 1 free T4 GPUs are reserved "
                + "(group vision-lab until "), refused.body());
        assertEquals("vision-lab", why.path("reservation").path("groups").path(0).asText(), refused.body());
        assertTrue(serverPod(CY).isEmpty(), "a refused start made a pod");

        // Ann (vision-lab) starts inside the window, on the reserved T4.
        String annToken = token(ANN);
        assertTrue(capacity(annToken).path("text").asText().startsWith("1 T4 free"), capacity(annToken).toString());
        String ann = "/users/" + Names.path(ANN) + "/server";
        HttpResponse<String> annStart = call("POST", ann, "{\"profile\": \"gpu-t4\"}", annToken);
        assertTrue(annStart.statusCode() == 201 || annStart.statusCode() == 202, annStart.body());
        awaitReady(ann);
        assertEquals(FakeNodes.GPU_T4, serverPod(ANN).orElseThrow().getSpec().getNodeName());

        // Bo stops his own; an admin stops Ann's.
        stopAndAwaitGone(bo, BO, token(BO));
        stopAndAwaitGone(ann, ANN, ADMIN);
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);

        JsonNode usage = JSON.readTree(call("GET", "/usage?by=user&sessions=true&from=" + from.minusSeconds(5) + "&to=" + to, null,
                ADMIN).body());
        JsonNode sessions = usage.path("sessions");
        assertEquals(2, sessions.size(), usage.toPrettyString());
        Map<String, Long> gpuSecondsByUser = new HashMap<>();
        long total = 0;
        for (JsonNode s : sessions) {
            assertEquals("gpu-t4", s.path("profile").asText());
            assertEquals(T4, s.path("gpu").asText());
            assertEquals(1, s.path("gpus").asInt());
            // To the second: the recorded start and stop, each cut to its second.
            long seconds = Instant.parse(s.path("stopped").asText()).getEpochSecond() - Instant.parse(s.path("started").asText()).getEpochSecond();
            assertEquals(seconds, s.path("seconds_in_window").asLong(), s.toString());
            assertTrue(seconds > 0, s.toString());
            gpuSecondsByUser.put(s.path("user").asText(), seconds);
            total += seconds;
        }
        assertEquals("user", session(sessions, BO).path("stop_reason").asText());
        assertEquals("admin", session(sessions, ANN).path("stop_reason").asText());
        assertEquals(List.of("ml", "vision-lab"), JSON.convertValue(session(sessions, ANN).path("groups"), List.class));
        assertEquals(total, usage.path("total").path("gpu_seconds").asLong(), usage.toPrettyString());
        assertEquals(total, usage.path("total").path("server_seconds").asLong(), usage.toPrettyString());
        assertEquals(total / 3600.0, usage.path("total").path("gpu_hours").asDouble(), 1e-9);
        for (JsonNode row : usage.path("rows")) {
            assertEquals((long) gpuSecondsByUser.get(row.path("key").asText()), row.path("gpu_seconds").asLong(), row.toString());
        }
        JsonNode byGroup = JSON.readTree(call("GET", "/usage?by=group&from=" + from.minusSeconds(5) + "&to=" + to, null, ADMIN).body());
        Map<String, Long> groups = new HashMap<>();
        byGroup.path("rows").forEach(r -> groups.put(r.path("key").asText(), r.path("gpu_seconds").asLong()));
        assertEquals(Map.of("ml", total, "vision-lab", gpuSecondsByUser.get(ANN), "nlp-lab", gpuSecondsByUser.get(BO)), groups);

        // Bo reads his own, not Ann's.
        String boToken = token(BO);
        assertEquals(200, call("GET", "/usage", null, boToken).statusCode());
        assertEquals(403, call("GET", "/usage?user=" + Names.path(ANN), null, boToken).statusCode());
    }

    @Test
    @Order(2)
    void theAdminSeesGpuHoursPerGroupChartedAndReservesFromThePage() throws Exception {
        try (Chromium chromium = new Chromium()) {
            WebDriver driver = chromium.driver;
            driver.get(hub.publicUrl("/hub/admin/usage"));
            signIn(chromium, ROOT);
            chromium.wait.until(ExpectedConditions.urlContains("/hub/admin/usage"));
            WebElement chart = chromium.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("usage-chart")));
            assertTrue(chart.getAttribute("outerHTML").contains("GPU-hours per group per day"));
            for (var sessions : Map.of("vision-lab", "1", "nlp-lab", "1", "ml", "2").entrySet()) {
                String group = sessions.getKey();
                assertFalse(driver.findElements(By.cssSelector("#usage-chart rect.bar[data-group='" + group + "']")).isEmpty(),
                        "no bar for " + group + ": " + chart.getAttribute("outerHTML"));
                assertEquals(sessions.getValue(),
                        driver.findElement(By.cssSelector("#usage-groups tr[data-group='" + group + "'] td:last-child")).getText());
            }
            WebElement held = driver.findElement(By.cssSelector("#reservations tbody tr"));
            assertTrue(held.getText().contains("vision-lab") && held.getText().contains("in force") && held.getText().contains("1 × T4"),
                    held.getText());

            // A reservation of the L4 for nlp-lab from the form; the page shows it after reloading.
            new Select(driver.findElement(By.id("res-group"))).selectByValue("nlp-lab");
            new Select(driver.findElement(By.id("res-gpu"))).selectByValue("nvidia-l4");
            String end = LocalDateTime.now(ZoneOffset.UTC).plusHours(2).truncatedTo(ChronoUnit.MINUTES).toString();
            ((JavascriptExecutor) driver).executeScript("document.getElementById('res-end').value = arguments[0]", end);
            driver.findElement(By.id("res-note")).sendKeys("paper deadline");
            driver.findElement(By.cssSelector("#reservation-form button[type=submit]")).click();
            new WebDriverWait(driver, Duration.ofSeconds(60))
                    .withMessage(() -> "no new reservation row: " + driver.findElement(By.id("reservations-status")).getText())
                    .until(d -> d.findElements(By.cssSelector("#reservations tbody tr")).size() == 2);
            JsonNode list = JSON.readTree(call("GET", "/reservations", null, ADMIN).body());
            JsonNode l4 = list.get(1);
            assertEquals("nlp-lab", l4.path("group").asText(), list.toString());
            assertEquals("nvidia-l4", l4.path("gpu").asText());
            // The form's time is UTC, as its label says.
            assertEquals(LocalDateTime.parse(end).toInstant(ZoneOffset.UTC), Instant.parse(l4.path("end").asText()));
            assertEquals("paper deadline", l4.path("note").asText());
            driver.manage().window().setSize(new Dimension(1280, 1500));
            chromium.shot("fairuse-admin-usage");

            // Ann's home page: her own month.
            driver.get(hub.publicUrl("/hub/logout"));
            driver.get(hub.publicUrl("/hub/home"));
            signIn(chromium, ANN);
            WebElement month = new WebDriverWait(driver, Duration.ofSeconds(60))
                    .withMessage(() -> driver.getCurrentUrl() + "\n" + driver.getPageSource())
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("usage-month")));
            assertTrue(month.getText().contains("GPU-hours") && month.getText().contains("in 1 session "), month.getText());
            chromium.shot("fairuse-home-usage");
        }
    }

    private static void signIn(Chromium chromium, String name) {
        WebElement field = chromium.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        field.sendKeys(name);
        field.submit();
    }

    private static JsonNode session(JsonNode sessions, String user) {
        for (JsonNode s : sessions) {
            if (user.equals(s.path("user").asText())) {
                return s;
            }
        }
        throw new AssertionError("no session of " + user + ": " + sessions);
    }

    private static void group(String name, String... users) throws Exception {
        HttpResponse<String> made = call("POST", "/groups/" + name, JSON.writeValueAsString(Map.of("users", List.of(users))), ADMIN);
        assertEquals(201, made.statusCode(), made.body());
    }

    private static String message(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("message").asText();
    }

    private JsonNode capacity(String token) {
        try {
            return JSON.readTree(call("GET", "/profiles/capacity", null, token).body()).path("gpu-t4");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(String user) throws Exception {
        return JSON.readTree(call("POST", "/users/" + Names.path(user) + "/tokens", "{}", ADMIN).body()).get("token").asText();
    }

    private static void startAndAwaitReady(String api) throws Exception {
        HttpResponse<String> started = call("POST", api, "{\"profile\": \"gpu-t4\"}", ADMIN);
        assertTrue(started.statusCode() == 201 || started.statusCode() == 202, "start answered " + started.statusCode() + " " + started.body());
        awaitReady(api);
    }

    private static void awaitReady(String api) throws Exception {
        String progress = call("GET", api + "/progress", null, ADMIN).body();
        assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText() + "\n" + testbed.logs());
    }

    private static void stopAndAwaitGone(String api, String user, String token) throws Exception {
        String pod = serverPod(user).orElseThrow().getMetadata().getName();
        int stopped = call("DELETE", api, null, token).statusCode();
        assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
        Await.until(() -> kube.pods().inNamespace(NAMESPACE).withName(pod).get() == null, Duration.ofSeconds(60), "pod " + pod + " still there");
        // A 202 stop finishes in the background: the session is closed once the server is recorded stopped.
        Await.until(() -> {
            try {
                return JSON.readTree(call("GET", "/users/" + Names.path(user), null, ADMIN).body()).path("servers").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(60), user + "'s server still recorded");
    }

    private static Optional<Pod> serverPod(String user) {
        return kube.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> user.equals(p.getMetadata().getAnnotations().get("hub.jupyter.org/username"))).findFirst();
    }

    private static HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        return hub.api(token, method, path, body);
    }

}
