package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.e2e.testbed.StandInService;
import io.ganymede.e2e.testbed.Testbed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The kubernetes spawner's hub killed (SIGKILL, as the OOM killer or a failing node does) on the
 * test bed's real API server, while starts are in flight:
 * <ul>
 *   <li>one replica, restarted on the same database: every server it left ends ready behind its
 *       route or cleanly stopped, and no pod is left that is not a ready server's;</li>
 *   <li>two replicas sharing one database and one standalone proxy, as k8s/ deploys them: the
 *       Lease elects exactly one, and when it is killed the other takes over within the lease
 *       duration and runs the leader's duties (it settles the dead leader's start, notices a pod
 *       deleted behind its back and removes its route).</li>
 * </ul>
 * Starts are made slow as real images make them: the profile's "PySpark" image and a team's own
 * image (the "Other image" free-text choice) do work before their Jupyter server listens, so their
 * pods exist, unready, when the hub dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesFailoverTest {

    private static final String ADMIN = "e2e-failover-admin-token";
    private static final String CAROL = "carol.diaz@example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCIPY = "quay.io/jupyter/scipy-notebook:2025-10-20";
    /** The "PySpark" choice of the cpu-large profile: Spark's JVM starts before the Jupyter server. */
    private static final String PYSPARK = "quay.io/jupyter/pyspark-notebook:2025-10-20";
    /** A team's image, picked as cpu-large's free-text image: it unpacks a large environment first. */
    private static final String GEO = "europe-docker.pkg.dev/my-project/notebooks/geo-analytics:2025.11";
    /**
     * Short Lease timings, so a takeover happens within seconds: a replica takes a Lease over once it
     * has not changed for LEASE_DURATION (retry period < renew deadline < lease duration).
     */
    private static final Duration LEASE_DURATION = Duration.ofSeconds(6);
    private static final Duration RETRY_PERIOD = Duration.ofSeconds(1);
    private static final Map<String, String> LEASE = Map.of(
            "GANYMEDE_LEADER_KIND", "lease",
            "GANYMEDE_LEADER_LEASE_DURATION", LEASE_DURATION.toSeconds() + "s",
            "GANYMEDE_LEADER_RENEW_DEADLINE", "4s",
            "GANYMEDE_LEADER_RETRY_PERIOD", RETRY_PERIOD.toSeconds() + "s");
    /** The leader's poll of every server (JupyterHub's poll_interval, 30 s by default). */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    /** Counted from when the restarted hub answers or the surviving replica leads. */
    private static final Duration SETTLE_WITHIN = Duration.ofSeconds(60);

    private static Testbed testbed;
    private static KubernetesClient kube;
    private static final List<AutoCloseable> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startTestbed() throws Exception {
        testbed = Testbed.shared(HubProcess.ROOT);
        kube = testbed.client();
        String singleUser = "/usr/bin/jupyterhub-singleuser";
        testbed.kubelet().image(SCIPY, List.of(singleUser));
        testbed.kubelet().image(PYSPARK, List.of("/bin/sh", "-c", "sleep 3; exec " + singleUser + " \"$@\"", "start-notebook"));
        testbed.kubelet().image(GEO, List.of("/bin/sh", "-c", "sleep 300; exec " + singleUser + " \"$@\"", "start-notebook"));
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    @Order(1)
    void aHubKilledWhileStartsAreInFlightSettlesEveryServerWhenRestarted() throws Exception {
        String namespace = namespace("notebooks-restart");
        Map<String, String> env = new HashMap<>(hubEnv(namespace));
        env.putAll(LEASE);
        // The pod's name: its container restarted after the kill keeps it, and must still count as a
        // new replica (its name on the Lease and in the starts it records has a part of its own).
        env.put("HOSTNAME", "ganymede-hub-6c9f7d5b8-k2x7q");
        HubProcess first = new HubProcess(env);
        started.add(first);
        first.awaitUp(first.hubUrl("/hub/api/"), Duration.ofSeconds(60));
        createUsers(first, List.of(Names.ALICE, Names.OBRIEN, CAROL), List.of(Names.ALICE, Names.OBRIEN));
        List<UserServer> servers = List.of(new UserServer(Names.ALICE, ""), new UserServer(Names.OBRIEN, ""),
                new UserServer(Names.ALICE, Names.SERVER), new UserServer(CAROL, ""));

        // Alice's server is ready before the kill; the others are starting when it comes.
        startAndAwaitReady(first, servers.get(0), "{\"profile\": \"cpu-small\"}");
        startInBackground(first, servers.get(1), "{\"profile\": \"cpu-large\", \"image\": \"pyspark\"}");
        startInBackground(first, servers.get(2), "{\"profile\": \"cpu-large\", \"image--unlisted-choice\": \"" + GEO + "\"}");
        await(() -> pod(namespace, servers.get(1)).isPresent() && pod(namespace, servers.get(2)).isPresent(),
                Duration.ofSeconds(60), "the slow servers' pods were not created");
        startInBackground(first, servers.get(3), "{\"profile\": \"cpu-small\"}");
        await(() -> "spawn".equals(model(first, CAROL).path("pending").asText(null)), Duration.ofSeconds(30),
                "Carol's start was not recorded");
        // The team's image is still unpacking: its server must not be reported ready.
        assertEquals("spawn", server(first, servers.get(2)).path("pending").asText(null), server(first, servers.get(2)).toString());
        System.out.println("at the kill: O'Brien's pod " + (podReady(namespace, servers.get(1)) ? "ready" : "not ready")
                + ", his server " + server(first, servers.get(1)));
        String killedName = leadership(first).path("identity").asText();
        first.kill();

        HubProcess second = new HubProcess(first, env);
        started.add(second);
        second.awaitUp(second.hubUrl("/hub/api/"), Duration.ofSeconds(120));
        // Alice's server ran on all along: it answers through the restarted hub's own proxy at once,
        // not only once the killed process's Lease has run out and the restarted hub leads.
        await(() -> throughProxy(second.publicUrl(""), servers.get(0)).equals("ready"), LEASE_DURATION,
                "Alice's running server is not reached through the restarted hub");
        assertFalse(leadership(second).path("leader").asBoolean(), "Alice's route came back only with the lead");
        Map<UserServer, String> states = awaitSettled(second, second.publicUrl(""), namespace, servers);
        System.out.println("after the restart: " + states + "\n" + adoptionLog(second));

        assertEquals("ready", states.get(servers.get(0)), "Alice's running server was lost");
        // Still unpacking its environment when the restarted hub took over: undone, and its pod deleted.
        assertEquals("stopped", states.get(servers.get(2)));
        // The restarted process took the Lease over under a name of its own.
        String restartedName = leadership(second).path("identity").asText();
        assertTrue(restartedName.startsWith("ganymede-hub-6c9f7d5b8-k2x7q_") && !restartedName.equals(killedName), restartedName);
        assertEquals(restartedName, holder(namespace));
        second.close();
    }

    @Test
    @Order(2)
    void twoReplicasElectOneLeaderAndTheOtherTakesOverWhenItIsKilled() throws Exception {
        String namespace = namespace("notebooks-replicas");
        // The hub jar the suite runs is built for H2 (Quarkus fixes the datasource kind at build
        // time); PostgreSQL, which k8s/ deploys, is covered by the hub's own tests. Here an H2 TCP
        // server in the test JVM is the one database both replicas share (WRITE_DELAY=0 as in the
        // hub's own H2 URL: a commit is on disk before the hub answers).
        Path data = Files.createTempDirectory("ganymede-e2e-h2");
        int dbPort = HubProcess.freePort();
        org.h2.tools.Server h2 = org.h2.tools.Server.createTcpServer("-tcpPort", String.valueOf(dbPort), "-ifNotExists", "-baseDir", data.toString()).start();
        started.add(h2::stop);
        int proxyPublic = HubProcess.freePort();
        int proxyApi = HubProcess.freePort();
        Process proxyProcess = ProxyJupyterHub.startProxy(proxyPublic, proxyApi, data.resolve("proxy.log"));
        started.add(() -> {
            proxyProcess.destroy();
            proxyProcess.waitFor();
        });
        String proxy = "http://127.0.0.1:" + proxyPublic;
        // The Service "ganymede-hub" in front of both replicas: where the proxy sends /hub/ and where
        // single-user servers reach the hub's API.
        StandInService hubService = new StandInService();
        started.add(hubService);
        Map<String, String> env = new HashMap<>(hubEnv(namespace));
        env.putAll(LEASE);
        env.putAll(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:tcp://127.0.0.1:" + dbPort + "/ganymede;WRITE_DELAY=0",
                "GANYMEDE_PROXY_EMBEDDED", "false",
                "GANYMEDE_PROXY_API_URL", "http://127.0.0.1:" + proxyApi,
                "GANYMEDE_PROXY_AUTH_TOKEN", ProxyJupyterHub.PROXY_TOKEN,
                "GANYMEDE_HUB_INTERNAL_URL", hubService.url(),
                "GANYMEDE_SPAWNER_CLEANUP_ON_SHUTDOWN", "false"));
        // Started one after the other, so the second finds the schema migrated: concurrent
        // migrations are Flyway's to serialize, not what this test is about.
        List<HubProcess> hubs = new ArrayList<>();
        for (String pod : List.of("ganymede-hub-6c9f7d5b8-k2x7q", "ganymede-hub-6c9f7d5b8-w4n9t")) {
            Map<String, String> replica = new HashMap<>(env);
            replica.put("HOSTNAME", pod);
            HubProcess hub = new HubProcess(replica);
            started.add(hub);
            hub.awaitUp(hub.hubUrl("/hub/api/"), Duration.ofSeconds(60));
            hubService.endpoint(hub.hubPort);
            hubs.add(hub);
        }

        // Exactly one leads: the Lease names it, both replicas agree, and only it says so.
        await(() -> holder(namespace) != null && hubs.stream().allMatch(h -> holder(namespace).equals(leadership(h).path("holder").asText())),
                Duration.ofSeconds(30), "the replicas do not agree on a holder of the Lease");
        String holder = holder(namespace);
        HubProcess leader = hubs.stream().filter(h -> holder.equals(leadership(h).path("identity").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("the Lease names " + holder + ", neither replica"));
        HubProcess follower = hubs.get(1 - hubs.indexOf(leader));
        String followerName = leadership(follower).path("identity").asText();
        assertTrue(holder.startsWith("ganymede-hub-6c9f7d5b8-"), holder);
        assertNotEquals(holder, followerName);
        assertTrue(leadership(leader).path("leader").asBoolean(), leadership(leader).toString());
        assertFalse(leadership(follower).path("leader").asBoolean(), leadership(follower).toString());
        assertTrue(leader.logText().contains(holder + " now leads"), leader.logText());
        assertFalse(follower.logText().contains("now leads"), follower.logText());

        // Both serve the API from the one database: users made through one are seen through the other.
        createUsers(follower, List.of(Names.ALICE, Names.OBRIEN, CAROL), List.of(Names.OBRIEN));
        assertEquals(200, call(leader, "GET", "/users/" + Names.path(CAROL), null).statusCode());
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(proxy + "/hub/api/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the hub is not reached through the proxy");

        // Alice's server is started through the replica that does not lead; O'Brien's through the
        // leader, which is killed while it starts.
        UserServer alice = new UserServer(Names.ALICE, "");
        UserServer obrien = new UserServer(Names.OBRIEN, "");
        startAndAwaitReady(follower, alice, "{\"profile\": \"cpu-small\"}");
        assertEquals("ready", throughProxy(proxy, alice));
        startInBackground(leader, obrien, "{\"profile\": \"cpu-large\", \"image\": \"pyspark\"}");
        await(() -> pod(namespace, obrien).isPresent(), Duration.ofSeconds(60), "O'Brien's pod was not created");
        leader.kill();
        long killed = System.nanoTime();

        await(() -> followerName.equals(holder(namespace)) && leadership(follower).path("leader").asBoolean(),
                LEASE_DURATION.plusSeconds(10), "the surviving replica did not take the Lease over");
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println("takeover " + takeover.toMillis() + " ms after the leader was killed (Lease duration "
                + LEASE_DURATION.toMillis() + " ms)");
        assertTrue(follower.logText().contains(followerName + " now leads"), follower.logText());
        // The Lease runs out LEASE_DURATION after the survivor last saw it renewed (up to one retry
        // period before the kill), and the survivor looks once per retry period; 1.5 s for a busy machine.
        Duration bound = LEASE_DURATION.plus(RETRY_PERIOD.multipliedBy(2)).plusMillis(1500);
        assertTrue(takeover.compareTo(bound) <= 0, "takeover took " + takeover + ", more than " + bound);

        // The new leader settles the start the dead one left in flight, at once (it saw it lose the
        // Lease), and everything is still reached through the proxy.
        Map<UserServer, String> states = awaitSettled(follower, proxy, namespace, List.of(alice, obrien));
        System.out.println("after the takeover: " + states + "\n" + adoptionLog(follower));
        assertEquals("ready", states.get(alice));
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(proxy + "/hub/api/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the hub is not reached through the proxy");
        UserServer carol = new UserServer(CAROL, "");
        startAndAwaitReady(follower, carol, "{\"profile\": \"cpu-small\"}");
        assertEquals("ready", throughProxy(proxy, carol));

        // Alice's pod is deleted behind the hub's back: the new leader's poll notices, records her
        // server stopped and removes its route.
        String route = routeKey(Names.prefix(Names.ALICE, ""));
        assertTrue(routes(proxyApi).has(route), "no route " + route + ": " + routes(proxyApi));
        String alicePod = pod(namespace, alice).orElseThrow().getMetadata().getName();
        kube.pods().inNamespace(namespace).withName(alicePod).delete();
        long deleted = System.nanoTime();
        await(() -> !routes(proxyApi).has(route) && server(follower, alice).isMissingNode(),
                POLL_INTERVAL.plusSeconds(30), "Alice's route or server outlived her pod: " + routes(proxyApi));
        System.out.println("the deleted pod's route was removed " + Duration.ofNanos(System.nanoTime() - deleted).toMillis() + " ms later");
        assertTrue(follower.logText().contains("server " + Names.ALICE + "/ is gone"), follower.logText());
        // And no pod is left that no ready server has.
        assertEquals(Map.of(alice, "stopped", obrien, states.get(obrien), carol, "ready"),
                new HashMap<>(awaitSettled(follower, proxy, namespace, List.of(alice, obrien, carol))));
    }

    /** How the proxy's table lists a prefix: without the trailing slash, as configurable-http-proxy does. */
    private static String routeKey(String prefix) {
        return prefix.substring(0, prefix.length() - 1);
    }

    /** A user's server: the default one when {@code name} is empty. */
    private record UserServer(String user, String name) {
        String api() {
            return "/users/" + Names.path(user) + (name.isEmpty() ? "/server" : "/servers/" + Names.path(name));
        }

        @Override
        public String toString() {
            return user + "/" + name;
        }
    }

    /**
     * A namespace as an admin prepares it for profiles.yaml: the team's Filestore share the
     * cpu-large profile mounts.
     */
    private static String namespace(String name) {
        testbed.namespace(name);
        kube.persistentVolumeClaims().inNamespace(name).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("home-shared").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("standard-rwx")
                .withNewResources().addToRequests("storage", new Quantity("1Ti")).endResources().endSpec()
                .build()).create();
        // Whatever still runs at the end: its processes go with its pods.
        started.add(() -> kube.pods().inNamespace(name).withGracePeriod(0).delete());
        return name;
    }

    private static Map<String, String> hubEnv(String namespace) {
        return Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_SPAWNER_KIND", "kubernetes",
                "KUBECONFIG", testbed.kubeconfig().toString(),
                "GANYMEDE_KUBERNETES_NAMESPACE", namespace,
                "GANYMEDE_PROFILES_PATH", HubProcess.ROOT.resolve("profiles/profiles.yaml").toString(),
                "GANYMEDE_SPAWNER_POLL_INTERVAL", POLL_INTERVAL.toSeconds() + "s");
    }

    /** The users, and the cpu-large profile's group "data-science" of {@code dataScience}. */
    private void createUsers(HubProcess hub, List<String> users, List<String> dataScience) throws Exception {
        for (String user : users) {
            assertEquals(201, call(hub, "POST", "/users/" + Names.path(user), null).statusCode());
        }
        assertEquals(201, call(hub, "POST", "/groups/data-science", JSON.writeValueAsString(Map.of("users", dataScience))).statusCode());
    }

    private void startAndAwaitReady(HubProcess hub, UserServer server, String options) throws Exception {
        int status = call(hub, "POST", server.api(), options).statusCode();
        assertTrue(status == 201 || status == 202, server + ": start answered " + status);
        String progress = call(hub, "GET", server.api() + "/progress", null).body();
        assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText());
    }

    private void startInBackground(HubProcess hub, UserServer server, String options) {
        http.sendAsync(request(hub, "POST", server.api(), options), HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Watches {@code hub} until every server is ready behind its route or stopped without a pod,
     * and every pod in the namespace is a ready server's (no orphan); answers each server's state.
     */
    private Map<UserServer, String> awaitSettled(HubProcess hub, String proxy, String namespace, List<UserServer> servers) throws Exception {
        long deadline = System.nanoTime() + SETTLE_WITHIN.toNanos();
        Map<UserServer, String> states = new TreeMap<>(java.util.Comparator.comparing(UserServer::toString));
        String orphans = null;
        while (System.nanoTime() < deadline) {
            Map<String, UserServer> podsOfReady = new HashMap<>();
            for (UserServer s : servers) {
                String state = settledState(hub, proxy, namespace, s);
                states.put(s, state);
                if (state.equals("ready")) {
                    podsOfReady.put(server(hub, s).path("state").path("pod_name").asText(), s);
                }
            }
            List<String> others = kube.pods().inNamespace(namespace).list().getItems().stream()
                    .map(p -> p.getMetadata().getName()).filter(p -> !podsOfReady.containsKey(p)).toList();
            orphans = others.isEmpty() ? null : others.toString();
            if (orphans == null && states.values().stream().allMatch(s -> s.equals("ready") || s.equals("stopped"))) {
                return states;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not settled within " + SETTLE_WITHIN + ": " + states + ", pods no ready server has: "
                + orphans + "\n" + hub.logText());
    }

    /** ready (its pod ready and the server answering through the proxy), stopped (no pod), or what it still is. */
    private String settledState(HubProcess hub, String proxy, String namespace, UserServer s) throws Exception {
        JsonNode server = server(hub, s);
        Optional<Pod> pod = pod(namespace, s);
        if (server.isMissingNode()) {
            return pod.isEmpty() ? "stopped" : "stopped, but its pod " + pod.get().getMetadata().getName() + " is there";
        }
        if (!server.path("ready").asBoolean()) {
            return "pending " + server.path("pending").asText();
        }
        String podName = server.path("state").path("pod_name").asText();
        assertTrue(pod.isPresent() && pod.get().getMetadata().getName().equals(podName),
                s + " is reported ready and its pod " + podName + " is gone: " + server);
        String answer = throughProxy(proxy, s);
        return answer.equals("ready") ? answer : "ready, but the proxy answers " + answer;
    }

    /** "ready" when the server's API answers through the proxy at {@code proxy}, else what the proxy answered. */
    private String throughProxy(String proxy, UserServer s) {
        try {
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(proxy + Names.prefix(s.user(), s.name()) + "api"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return api.statusCode() == 200 && api.body().contains("\"version\"") ? "ready" : api.statusCode() + " " + api.body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }


    private JsonNode routes(int proxyApi) {
        try {
            return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyApi + "/api/routes"))
                    .header("Authorization", "token " + ProxyJupyterHub.PROXY_TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's model, missing when it is neither running nor pending. */
    private JsonNode server(HubProcess hub, UserServer s) {
        return model(hub, s.user()).path("servers").path(s.name());
    }

    private JsonNode model(HubProcess hub, String user) {
        try {
            HttpResponse<String> response = call(hub, "GET", "/users/" + Names.path(user), null);
            assertEquals(200, response.statusCode(), response.body());
            return JSON.readTree(response.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pod of a server, found by the raw-name annotations the spawner puts on it. */
    private static Optional<Pod> pod(String namespace, UserServer s) {
        return kube.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> s.user().equals(p.getMetadata().getAnnotations().get("hub.jupyter.org/username"))
                        && s.name().equals(p.getMetadata().getAnnotations().getOrDefault("hub.jupyter.org/servername", "")))
                .findFirst();
    }

    private static boolean podReady(String namespace, UserServer s) {
        return pod(namespace, s).map(p -> p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .orElse(false);
    }

    /** The Lease's holder, null when none holds it. */
    private static String holder(String namespace) {
        Lease lease = kube.leases().inNamespace(namespace).withName("ganymede-hub").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** The leadership check of a replica's readiness: leader, identity, holder. */
    private JsonNode leadership(HubProcess hub) {
        try {
            JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(hub.hubUrl("/q/health/ready"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode check : health.path("checks")) {
                if ("leadership".equals(check.path("name").asText())) {
                    return check.path("data");
                }
            }
            throw new AssertionError("no leadership check: " + health);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String adoptionLog(HubProcess hub) throws IOException {
        return hub.logText().lines().filter(l -> l.contains("adopt") || l.contains("orphan") || l.contains("left starting")
                || l.contains("is gone") || l.contains("ready at") || l.contains("failed to start") || l.contains("leads"))
                .collect(Collectors.joining("\n"));
    }

    private HttpResponse<String> call(HubProcess hub, String method, String path, String body) throws IOException, InterruptedException {
        return http.send(request(hub, method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(HubProcess hub, String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(hub.hubUrl("/hub/api" + path)))
                .header("Authorization", "token " + ADMIN).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(200);
        }
    }
}
