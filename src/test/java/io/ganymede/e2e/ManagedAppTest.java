package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.e2e.testbed.Testbed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A managed team app on the real control plane (the test bed): a real TensorBoard 2.21.0 from
 * PyPI, declared as {@code ganymede.services.tensorboard.app} for the data-science group, reading
 * the team's bucket (GCSFuse, read-only) in which a real event file was written with
 * TensorBoard's own writer. Nobody has started it: a non-member gets 403 and no pod is made;
 * Alice, a member, opens {@code /services/tensorboard/} in headless Chromium, sees the start's
 * progress and lands on TensorBoard's page with the run (screenshot
 * {@code target/screenshots/tensorboard-01.png}); a restarted hub finds the running pod again;
 * after its idle timeout (30 s here) the pod is gone and the app stopped, and the next visits (six
 * at once) start it again, once; an admin stops it with the admin page's stop button (screenshot
 * {@code managed-app-admin-stop}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagedAppTest {

    private static final String ADMIN = "e2e-apps-admin-token";
    /** An admin who signs in to the admin page. */
    private static final String ROOT = "root@example.com";
    private static final String NAMESPACE = "apps-e2e";
    /** A team's image whose entrypoint is TensorBoard. */
    private static final String IMAGE = "us-docker.pkg.dev/ml-platform/apps/tensorboard:2.21.0";
    private static final String BUCKET = "team-experiments";
    private static final String APP = "/services/tensorboard/";
    private static final String POD = "service-tensorboard";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Testbed testbed;
    private static KubernetesClient kube;
    private static HubProcess hub;
    private static Map<String, String> env;
    /** Alice's own session, kept across the hub's restart. */
    private static final Browser alice = new Browser();
    private static String firstPodUid;

    @BeforeAll
    static void start() throws Exception {
        testbed = Testbed.shared(HubProcess.ROOT);
        kube = testbed.client();
        testbed.namespace(NAMESPACE);
        Path tensorBoard = Peers.tensorBoard();
        testbed.kubelet().image(IMAGE, List.of(tensorBoard.resolve("bin/tensorboard").toString()));
        // The team's bucket holds a run, written by TensorBoard's own event writer.
        Path run = testbed.bucketFolder(BUCKET).resolve("runs/run-alpha");
        Files.createDirectories(run);
        Path writer = Files.createTempFile("write-events", ".py");
        Files.writeString(writer, """
                import sys, time
                from tensorboard.compat.proto import event_pb2, summary_pb2
                from tensorboard.summary.writer.event_file_writer import EventFileWriter
                w = EventFileWriter(sys.argv[1])
                for step in range(20):
                    v = summary_pb2.Summary.Value(tag="loss", simple_value=1.0 / (step + 1))
                    w.add_event(event_pb2.Event(wall_time=time.time(), step=step, summary=summary_pb2.Summary(value=[v])))
                w.close()
                """);
        Process write = new ProcessBuilder(tensorBoard.resolve("bin/python").toString(), writer.toString(), run.toString())
                .inheritIO().start();
        assertEquals(0, write.waitFor());
        // What the admin made for the app: the service account with Workload Identity on the bucket.
        kube.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("tensorboard-reader").endMetadata().build()).create();

        // --logdir is relative because the stand-in kubelet runs the process in the folder behind the
        // pod's mount; in a real pod it would be /data/runs.
        String config = """
                ganymede:
                  services:
                    tensorboard:
                      app:
                        image: %s
                        args: ["--logdir=runs", "--path_prefix={prefix_no_slash}", "--host=0.0.0.0", "--port=6006"]
                        port: 6006
                        cpu-guarantee: 100m
                        mem-limit: 1G
                        storage:
                          kind: gcsfuse
                          bucket: %s
                          mount-path: /data
                          service-account: tensorboard-reader
                        groups: [data-science]
                        idle-timeout: 30s
                  auth:
                    admin-users: %s
                """.formatted(IMAGE, BUCKET, ROOT);
        Path file = Files.createTempDirectory("ganymede-config").resolve("config.yaml");
        Files.writeString(file, config);
        env = Map.of(
                "QUARKUS_CONFIG_LOCATIONS", file.toString(),
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_SPAWNER_KIND", "kubernetes",
                "KUBECONFIG", testbed.hubKubeconfig(HubProcess.ROOT, NAMESPACE).toString(),
                "GANYMEDE_KUBERNETES_NAMESPACE", NAMESPACE,
                "GANYMEDE_CULLER_EVERY", "2");
        hub = new HubProcess(env);
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        for (String user : List.of(Names.ALICE, Names.OBRIEN)) {
            assertEquals(201, hub.api(ADMIN, "POST", "/users/" + Names.path(user), null).statusCode());
        }
        assertEquals(201, hub.api(ADMIN, "POST", "/groups/data-science",
                JSON.writeValueAsString(Map.of("users", List.of(Names.ALICE)))).statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        kube.pods().inNamespace(NAMESPACE).withName(POD).withGracePeriod(0).delete();
    }

    @Test
    @Order(1)
    void someoneOutsideTheGroupGets403AndNoPodIsMade() throws Exception {
        Browser obrien = new Browser();
        HttpResponse<String> login = obrien.open(hub.publicUrl(APP));
        assertEquals("/hub/login", login.uri().getPath(), login.uri() + " " + login.body());
        HttpResponse<String> refused = obrien.signIn(login, Names.OBRIEN);
        assertEquals(403, refused.statusCode(), refused.uri() + " " + refused.body());
        assertTrue(refused.body().contains("is not allowed to access service tensorboard"), refused.body());
        assertNull(kube.pods().inNamespace(NAMESPACE).withName(POD).get(), "a pod was made for someone refused");
    }

    @Test
    @Order(2)
    void aMemberOpensItInChromiumSeesTheStartAndLandsOnTensorBoard() throws Exception {
        assertNull(kube.pods().inNamespace(NAMESPACE).withName(POD).get());
        try (Chromium browser = new Chromium()) {
            browser.signIn(hub, Names.ALICE, APP);
            // The progress page (the server start's), until the app answers.
            browser.wait.until(d -> !d.findElements(By.id("spawn-progress")).isEmpty() || isTensorBoard(d));
            boolean sawProgress = !browser.driver.findElements(By.id("spawn-progress")).isEmpty();
            assertTrue(sawProgress, "no progress page: " + browser.driver.getCurrentUrl());
            assertTrue(browser.driver.findElement(By.id("progress-title")).getText().contains("tensorboard is starting"));
            browser.shot("tensorboard-00-progress");
            browser.wait.until(ManagedAppTest::isTensorBoard);
            assertEquals(APP, URI.create(browser.driver.getCurrentUrl()).getPath());
            // TensorBoard's own page, reading the run from the team's bucket.
            browser.wait.until(d -> !d.findElements(By.xpath("//*[contains(text(), 'run-alpha')]")).isEmpty());
            browser.shot("tensorboard-01");
        }

        Pod pod = kube.pods().inNamespace(NAMESPACE).withName(POD).get();
        assertNotNull(pod);
        firstPodUid = pod.getMetadata().getUid();
        assertEquals("team-app", pod.getMetadata().getLabels().get("component"));
        assertEquals("tensorboard", pod.getMetadata().getLabels().get("ganymede.io/service"));
        Container c = pod.getSpec().getContainers().get(0);
        assertEquals(List.of("--logdir=runs", "--path_prefix=/services/tensorboard", "--host=0.0.0.0", "--port=6006"), c.getArgs());
        assertFalse(c.getSecurityContext().getPrivileged());
        assertTrue(c.getSecurityContext().getRunAsNonRoot());
        assertTrue(c.getVolumeMounts().get(0).getReadOnly());
        assertEquals(BUCKET, pod.getSpec().getVolumes().get(0).getCsi().getVolumeAttributes().get("bucketName"));
        assertEquals("tensorboard-reader", pod.getSpec().getServiceAccountName());
        // The route goes to the pod, behind the hub's access gate; the prefix is kept.
        Map<String, Map<String, Object>> routes = JSON.readValue(hub.api(ADMIN, "GET", "/proxy", null).body(), Map.class);
        Map<String, Object> route = routes.get("/services/tensorboard");
        assertNotNull(route, routes.toString());
        assertEquals("http://" + pod.getStatus().getPodIP() + ":6006", route.get("target"));
        assertEquals("/hub/open-service/tensorboard", route.get("access_url"));
        assertNull(route.get("strip_prefix"));

        // Alice's own session (outside Chromium) reaches TensorBoard's API through the gate.
        HttpResponse<String> runs = alice.signIn(alice.open(hub.publicUrl(APP + "data/runs")), Names.ALICE);
        assertEquals(200, runs.statusCode(), runs.uri() + " " + runs.body());
        assertEquals("[\"run-alpha\"]", runs.body().strip());
    }

    @Test
    @Order(3)
    void aRestartedHubFindsTheRunningAppAgain() throws Exception {
        hub.close();
        hub = new HubProcess(hub, env);
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        // The embedded proxy started empty; the hub puts the app's route back from its state.
        HttpResponse<String> runs = alice.open(hub.publicUrl(APP + "data/runs"));
        assertEquals(200, runs.statusCode(), runs.uri() + " " + runs.body() + "\n" + hub.logText());
        assertEquals("[\"run-alpha\"]", runs.body().strip());
        assertEquals(firstPodUid, kube.pods().inNamespace(NAMESPACE).withName(POD).get().getMetadata().getUid(),
                "the same pod, not a new start");
    }

    @Test
    @Order(4)
    void itStopsWhenIdleAndTheNextVisitStartsItAgain() throws Exception {
        Await.until(() -> kube.pods().inNamespace(NAMESPACE).withName(POD).get() == null, Duration.ofSeconds(90),
                "the idle app's pod is still there");
        Map<String, Map<String, Object>> routes = JSON.readValue(hub.api(ADMIN, "GET", "/proxy", null).body(), Map.class);
        assertFalse(routes.containsKey("/services/tensorboard"), routes.toString());
        assertTrue(hub.logText().contains("culling app tensorboard"), hub.logText());
        String state = hub.api(ADMIN, "GET", "/services/tensorboard/app/progress", null).body();
        assertTrue(state.contains("\"failed\":true") && state.contains("is not running"), state);

        // Six first visits at once (Alice's session, as a script would send them): one start.
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> visits = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            visits.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return alice.open(hub.publicUrl(APP));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (var visit : visits) {
            HttpResponse<String> answer = visit.join();
            // Starting (503 with Retry-After for a client that reads no HTML), or already there.
            assertTrue(answer.statusCode() == 503 || answer.statusCode() == 200, answer.statusCode() + " " + answer.body());
        }
        try (Chromium browser = new Chromium()) {
            browser.signIn(hub, Names.ALICE, APP);
            browser.wait.until(ManagedAppTest::isTensorBoard);
            browser.wait.until(d -> !d.findElements(By.xpath("//*[contains(text(), 'run-alpha')]")).isEmpty());
        }
        Pod again = kube.pods().inNamespace(NAMESPACE).withName(POD).get();
        assertNotNull(again);
        assertNotEquals(firstPodUid, again.getMetadata().getUid());
        String log = hub.logText();
        assertEquals(1, log.split("starting app tensorboard", -1).length - 1, "started more than once:\n" + log);

        // An admin stops it now with the admin page's stop button: the pod and the route go; Alice may not.
        String own = JSON.readTree(hub.api(ADMIN, "POST", "/users/" + Names.path(Names.ALICE) + "/tokens", "{}").body())
                .get("token").asText();
        assertEquals(403, hub.api(own, "DELETE", "/services/tensorboard/app", null).statusCode());
        // Alice uses it once more, so its idle timeout cannot run out while the admin's browser starts.
        assertEquals(200, alice.open(hub.publicUrl(APP)).statusCode());
        try (Chromium admin = new Chromium()) {
            admin.signIn(hub, ROOT, "/hub/admin");
            By stop = By.cssSelector("tr[data-service-row=tensorboard] button[data-api-url='/hub/api/services/tensorboard/app']");
            admin.wait.until(ExpectedConditions.elementToBeClickable(stop)).click();
            Alert confirm = admin.wait.until(ExpectedConditions.alertIsPresent());
            assertTrue(confirm.getText().startsWith("Stop tensorboard?"), confirm.getText());
            confirm.accept();
            // The page reloads once the API answered: stopped by an admin, and no stop button left.
            By reason = By.cssSelector("tr[data-service-row=tensorboard] [data-stop-reason]");
            admin.wait.ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElements(reason).stream().anyMatch(e -> e.getText().equals("admin")));
            assertTrue(admin.driver.findElements(stop).isEmpty());
            admin.shot("managed-app-admin-stop");
        }
        Await.until(() -> kube.pods().inNamespace(NAMESPACE).withName(POD).get() == null, Duration.ofSeconds(60),
                "the pod of the app the admin stopped is still there");
        routes = JSON.readValue(hub.api(ADMIN, "GET", "/proxy", null).body(), Map.class);
        assertFalse(routes.containsKey("/services/tensorboard"), routes.toString());
        assertTrue(hub.logText().contains("app tensorboard stopped (admin)"), hub.logText());
    }

    /**
     * A pipeline's token with {@code access:services!service=tensorboard} reaches the app: the
     * stopped app has no route, so the proxy sends the request into the hub (a redirect, which
     * pipeline clients such as Python's requests follow with their Authorization header), which
     * starts it and answers 503 with Retry-After; once it runs, the proxy's token check admits the
     * token. A token without the scope gets 403 both ways, and starts nothing.
     */
    @Test
    @Order(5)
    void anApiTokenWithAccessReachesTheApp() throws Exception {
        String token = JSON.readTree(hub.api(ADMIN, "POST", "/users/" + Names.path(Names.ALICE) + "/tokens",
                "{\"scopes\": [\"access:services!service=tensorboard\"]}").body()).get("token").asText();
        String other = JSON.readTree(hub.api(ADMIN, "POST", "/users/" + Names.path(Names.ALICE) + "/tokens",
                "{\"scopes\": [\"read:users:name!user\"]}").body()).get("token").asText();
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        // Stopped (the admin stopped it before): the hub answers, and refuses the token without the scope.
        HttpResponse<String> refused = runs(client, other);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.uri().getPath().startsWith("/hub/services/tensorboard/"), refused.uri().toString());
        assertNull(kube.pods().inNamespace(NAMESPACE).withName(POD).get(), "a refused token started the app");

        HttpResponse<String> first = runs(client, token);
        assertEquals(503, first.statusCode(), first.body());
        assertEquals("5", first.headers().firstValue("Retry-After").orElse(null), first.headers().map().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        HttpResponse<String> answer = first;
        while (!(answer.statusCode() == 200 && answer.body().contains("run-alpha"))) {
            HttpResponse<String> shown = answer;
            assertTrue(System.nanoTime() < deadline, () -> "the token never reached TensorBoard; last answer "
                    + shown.statusCode() + " from " + shown.uri() + ": " + shown.body());
            Thread.sleep(1000);
            answer = runs(client, token);
        }
        assertEquals(APP + "data/runs", answer.uri().getPath(), "answered by the app through the proxy, not the hub");
        assertTrue(hub.logText().contains("starting app tensorboard, opened by " + Names.ALICE), hub.logText());

        // Running: the proxy's token check refuses the token without the scope.
        refused = runs(client, other);
        assertEquals(403, refused.statusCode(), refused.body());
        assertFalse(refused.body().contains("run-alpha"), refused.body());
    }

    /** GET {@code /services/tensorboard/data/runs} with an API token; failures to connect are rethrown unchecked. */
    private static HttpResponse<String> runs(HttpClient client, String token) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(APP + "data/runs")))
                    .header("Authorization", "token " + token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isTensorBoard(WebDriver d) {
        return "TensorBoard".equals(d.getTitle()) && URI.create(d.getCurrentUrl()).getPath().equals(APP);
    }
}
