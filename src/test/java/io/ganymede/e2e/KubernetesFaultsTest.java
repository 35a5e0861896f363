package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.e2e.testbed.ApiFaults;
import io.ganymede.e2e.testbed.Testbed;
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
 * The kubernetes spawner's hub talking to the test bed's real API server through a
 * fault-injecting proxy ({@link ApiFaults}), with the hub's own defaults (poll every 30 s,
 * KubeSpawner's and fabric8's retries) but for a concurrent-spawn limit below the storm:
 * <ol>
 *   <li>a pod deleted from outside is recorded stopped and its route removed within 10 s;</li>
 *   <li>watches cut and answered 410 Gone while a pod is deleted: the informer lists again and
 *       the hub's view converges within seconds;</li>
 *   <li>a storm of starts while the API server answers 10% of requests with 429 or 500 (a third
 *       of those after doing the work) and slowly, over the concurrent-spawn limit: refused
 *       starts get JupyterHub's 429 and Retry-After, every start ends ready or failed with a
 *       message, no server is reported ready that does not answer, one pod per server;</li>
 *   <li>a start whose pod the API server never takes gives up within bounded retries with a
 *       clear message.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesFaultsTest {

    private static final String ADMIN = "e2e-faults-admin-token";
    private static final int STORM = 20;
    private static final int LIMIT = 8;

    private static Testbed testbed;
    private static KubernetesClient kube;
    private static ApiFaults faults;
    private static HubProcess hub;
    private static ServerStorm storm;
    private static String namespace;
    /** Every user of the tests so far: the agreement checks cover all their servers and pods. */
    private static final List<String> everyone = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        testbed = Testbed.shared(HubProcess.ROOT);
        kube = testbed.client();
        namespace = ServerStorm.namespace(testbed, "notebooks-faults");
        faults = testbed.apiFaults();
        hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_SPAWNER_KIND", "kubernetes",
                "KUBECONFIG", testbed.hubKubeconfig(HubProcess.ROOT, namespace, faults.url()).toString(),
                "GANYMEDE_KUBERNETES_NAMESPACE", namespace,
                "GANYMEDE_PROFILES_PATH", HubProcess.ROOT.resolve("profiles/profiles.yaml").toString(),
                "GANYMEDE_SPAWNER_CONCURRENT_SPAWN_LIMIT", String.valueOf(LIMIT),
                "GANYMEDE_SPAWNER_SPAWN_THROTTLE_RETRY_RANGE", "1,3"));
        hub.awaitUp(hub.hubUrl("/hub/api/"), Duration.ofSeconds(90));
        storm = new ServerStorm(hub, ADMIN, kube, namespace);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (faults != null) {
            faults.close();
        }
        kube.pods().inNamespace(namespace).withGracePeriod(0).delete();
    }

    @Test
    @Order(1)
    void aPodDeletedFromOutsideIsRecordedStoppedAndItsRouteRemovedWithinTenSeconds() throws Exception {
        String pod = readyServersPod(Names.ALICE);
        storm.awaitAgreement(everyone, Duration.ofSeconds(10));

        kube.pods().inNamespace(namespace).withName(pod).delete();
        long deleted = System.nanoTime();
        await(() -> stoppedWithoutRoute(Names.ALICE), Duration.ofSeconds(10),
                "the deleted pod's server is still recorded, or routed, 10 s later (the poll is every 30 s)");
        System.out.println("pod deleted from outside: server recorded stopped and route removed after "
                + Duration.ofNanos(System.nanoTime() - deleted).toMillis() + " ms");
        assertTrue(hub.logText().contains("server " + Names.ALICE + "/ is gone"), hub.logText());
    }

    @Test
    @Order(2)
    void afterWatchesAreCutAndExpiredTheInformerListsAgainAndTheHubCatchesUp() throws Exception {
        String pod = readyServersPod(Names.OBRIEN);
        int listsBefore = faults.count("lists");

        // Every watch the hub opens in the next 4 s is answered 410 Gone; the open ones are cut. The
        // pod is deleted meanwhile, so only a new list can tell the hub.
        faults.expireWatches(Duration.ofSeconds(4));
        faults.cutWatches();
        kube.pods().inNamespace(namespace).withName(pod).delete();
        long deleted = System.nanoTime();
        await(() -> stoppedWithoutRoute(Names.OBRIEN), Duration.ofSeconds(4 + 10),
                "the hub did not catch up with a pod deleted while its watches were broken");
        System.out.println("watches cut " + faults.count("cut") + " times, answered 410 " + faults.count("410")
                + " times, lists since " + (faults.count("lists") - listsBefore) + "; the deletion was seen after "
                + Duration.ofNanos(System.nanoTime() - deleted).toMillis() + " ms");
        assertTrue(faults.count("cut") >= 1 && faults.count("410") >= 1, faults.counts.toString());
        assertTrue(faults.count("lists") > listsBefore, "no list after the watches expired: " + faults.counts);
    }

    @Test
    @Order(3)
    void aStormOnAFaultyApiServerEndsEveryStartAndReportsNoFalseReady() throws Exception {
        List<String> users = ServerStorm.users("faulty", STORM);
        storm.createUsers(users);
        everyone.addAll(users);
        int podCreatesBefore = faults.count("POST pods");
        faults.faults(0.10, Duration.ofMillis(300));
        Map<String, String> outcomes;
        try {
            outcomes = storm.startAll(users);
        } finally {
            faults.faults(0, Duration.ZERO);
        }
        System.out.println("outcomes: " + outcomes + "\nfaults: " + faults.counts + "\nrefused: " + storm.refusals.size()
                + ", e.g. " + storm.refusals.stream().findFirst().orElse("none"));
        for (var e : outcomes.entrySet()) {
            String outcome = e.getValue();
            assertTrue(outcome.equals("ready") || outcome.startsWith("failed: ") && outcome.length() > 20,
                    e.getKey() + ": " + outcome);
        }
        assertTrue(faults.count("429") + faults.count("500") + faults.count("500-after") > 0, "no fault was injected: " + faults.counts);
        // Over the limit: JupyterHub's answer, with a Retry-After, which the clients waited out.
        assertTrue(!storm.refusals.isEmpty(), "no start was refused with " + STORM + " at once and a limit of " + LIMIT);
        assertTrue(storm.refusals.stream().allMatch(r -> r.matches(
                "Too many users trying to log in right now\\. Try again in \\d0 seconds\\. \\| Retry-After [1-3]")), storm.refusals.toString());
        // Ready means ready: its pod Ready, its route there, and it answers; nothing pending; no stray pod.
        Map<String, String> states = storm.awaitAgreement(everyone, Duration.ofSeconds(30));
        for (String user : users) {
            assertEquals(outcomes.get(user).equals("ready") ? "ready" : "stopped", states.get(user), user + ": " + outcomes.get(user));
        }
        // Retries are bounded: fabric8 tries a request at most 11 times.
        int podCreates = faults.count("POST pods") - podCreatesBefore;
        assertTrue(podCreates <= STORM * 11, podCreates + " pod creates for " + STORM + " starts");
        long ready = outcomes.values().stream().filter("ready"::equals).count();
        System.out.println(ready + " of " + STORM + " ready; " + podCreates + " pod creates sent");
        assertTrue(ready >= STORM / 2, "most starts should get through 10% of faults: " + outcomes);
    }

    @Test
    @Order(4)
    void aStartWhosePodTheApiServerNeverTakesFailsWithAClearMessage() throws Exception {
        String carol = "carol.diaz@example.com";
        storm.createUsers(List.of(carol));
        everyone.add(carol);
        faults.alwaysFail(request -> request.startsWith("POST ") && request.contains("/pods ") && request.contains("\"" + carol + "\""));
        long started = System.nanoTime();
        String outcome;
        try {
            outcome = storm.start(carol);
        } finally {
            faults.alwaysFail(request -> false);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("gave up after " + took.toMillis() + " ms: " + outcome + "; pod creates refused: " + faults.counts);
        assertTrue(outcome.startsWith("failed: ") && outcome.contains("Kubernetes refused to start your server")
                && outcome.contains("etcdserver: request timed out"), outcome);
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "took " + took);
        assertEquals("stopped", storm.awaitAgreement(everyone, Duration.ofSeconds(10)).get(carol));
    }

    /** Starts the user's server, waits until it is ready, and answers its pod's name. */
    private static String readyServersPod(String user) throws Exception {
        storm.createUsers(List.of(user));
        everyone.add(user);
        assertEquals("ready", storm.start(user));
        return storm.model(user).path("servers").path("").path("state").path("pod_name").asText();
    }

    private static boolean stoppedWithoutRoute(String user) {
        try {
            return storm.model(user).path("servers").path("").isMissingNode()
                    && !ServerStorm.JSON.readTree(storm.call("GET", "/proxy", null).body())
                            .has(Names.prefix(user, "").replaceAll("/$", ""));
        } catch (Exception e) {
            return false;
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + "\n" + hub.logText());
            Thread.sleep(100);
        }
    }
}
