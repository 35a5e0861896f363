package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.e2e.testbed.Testbed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's move, on the test bed's real control plane: the real JupyterHub 5.5 with KubeSpawner
 * 7.1 (z2jh 4.4's) runs alice@example.com (a running server with a file on her disk, a read:users
 * token a pipeline uses) and bob (a stopped server, files on his disk), in a group holding a
 * custom role. JupyterHub stops with the pods left running, as z2jh's hub restarts do; the
 * database is imported and values.yaml translated by the hub jar's commands; Ganymede starts on
 * the same namespace, on the hub address the pods know (z2jh's {@code hub:8081}), and adopts
 * alice's pod without restarting it.
 */
class Z2jhMoveTest {

    private static final String NAMESPACE = "z2jh-move-e2e";
    /** An image only this test teaches the stand-in kubelet: the single-user server of JupyterHub 5.5. */
    private static final String IMAGE = "quay.io/jupyter/datascience-notebook:2025-10-20";
    private static final String SERVICE_TOKEN = "z2jh-admin-service-0123456789abcdef";
    private static final String ADMIN = "e2e-ganymede-admin-token";
    private static final String BOB = "bob";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1: configurable-http-proxy drops a request that offers an h2c upgrade with a body. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Process jupyterhub;
    private static HubProcess ganymede;

    @AfterAll
    static void stop() throws Exception {
        if (jupyterhub != null && jupyterhub.isAlive()) {
            // SIGTERM: JupyterHub stops the configurable-http-proxy it started.
            jupyterhub.destroy();
            if (!jupyterhub.waitFor(30, TimeUnit.SECONDS)) {
                jupyterhub.destroyForcibly().waitFor();
            }
        }
        if (ganymede != null) {
            ganymede.close();
        }
    }

    @Test
    void aRunningZ2jhMovesToGanymedeWithoutUsersNoticing() throws Exception {
        Testbed testbed = Testbed.shared(HubProcess.ROOT);
        KubernetesClient kube = testbed.client();
        testbed.namespace(NAMESPACE);
        Peers.JupyterHub jh = Peers.JupyterHub.V5_5.require();
        testbed.kubelet().image(IMAGE, List.of(jh.singleUser().toString()));
        Path kubeconfig = testbed.hubKubeconfig(HubProcess.ROOT, NAMESPACE);
        Path dir = Files.createTempDirectory("ganymede-e2e-z2jh");
        int hubPort = HubProcess.freePort();
        int chpPort = HubProcess.freePort();
        int chpApiPort = HubProcess.freePort();

        // ---- JupyterHub 5.5 with KubeSpawner 7.1, as z2jh configures them ------------------------
        Files.writeString(dir.resolve("jupyterhub_config.py"), """
                c.JupyterHub.db_url = 'sqlite:///%1$s/jupyterhub.sqlite'
                c.JupyterHub.bind_url = 'http://127.0.0.1:%2$d'
                c.JupyterHub.hub_bind_url = 'http://127.0.0.1:%3$d'
                c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:%4$d'
                c.ConfigurableHTTPProxy.command = ['%5$s']
                c.JupyterHub.cookie_secret_file = '%1$s/cookie_secret'
                c.JupyterHub.cleanup_servers = False
                c.JupyterHub.authenticator_class = 'dummy'
                c.Authenticator.allow_all = True
                c.JupyterHub.services = [{'name': 'pipeline-admin', 'api_token': '%6$s'}]
                c.JupyterHub.load_groups = {'data-science': {'users': ['alice@example.com', 'bob'], 'properties': {'cost-center': 'ds-42'}}}
                c.JupyterHub.load_roles = [
                    {'name': 'admin', 'services': ['pipeline-admin']},
                    {'name': 'data-readers', 'scopes': ['list:users', 'read:users'], 'groups': ['data-science']},
                ]
                c.JupyterHub.spawner_class = 'kubespawner.KubeSpawner'
                c.KubeSpawner.namespace = '%7$s'
                c.KubeSpawner.image = '%8$s'
                c.KubeSpawner.cmd = None
                c.KubeSpawner.uid = 1000
                c.KubeSpawner.fs_gid = 100
                c.KubeSpawner.storage_pvc_ensure = True
                c.KubeSpawner.storage_class = 'standard-rwo'
                c.KubeSpawner.storage_capacity = '1Gi'
                c.KubeSpawner.storage_access_modes = ['ReadWriteOnce']
                c.KubeSpawner.volumes = [{'name': 'home', 'persistentVolumeClaim': {'claimName': '{pvc_name}'}}]
                c.KubeSpawner.volume_mounts = [{'name': 'home', 'mountPath': '/home/jovyan'}]
                c.KubeSpawner.start_timeout = 240
                c.KubeSpawner.http_timeout = 120
                """.formatted(dir, chpPort, hubPort, chpApiPort, Peers.configurableHttpProxy(), SERVICE_TOKEN, NAMESPACE, IMAGE));
        ProcessBuilder builder = new ProcessBuilder(jh.jupyterhub().toString(), "-f", dir.resolve("jupyterhub_config.py").toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("jupyterhub.log").toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        jupyterhub = builder.start();
        String jhApi = "http://127.0.0.1:" + hubPort + "/hub/api";
        String jhPublic = "http://127.0.0.1:" + chpPort;
        awaitUp(jhApi + "/", dir.resolve("jupyterhub.log"));

        String pipeline = JSON.readTree(send("POST", jhApi + "/users/alice@example.com/tokens", SERVICE_TOKEN,
                "{\"note\": \"pipeline\", \"scopes\": [\"read:users\"]}").body()).path("token").asText();
        String bobToken = JSON.readTree(send("POST", jhApi + "/users/bob/tokens", SERVICE_TOKEN,
                "{\"note\": \"bob's scripts\"}").body()).path("token").asText();
        assertEquals(200, send("GET", jhApi + "/users/alice@example.com", pipeline, null).statusCode());
        assertEquals(200, send("GET", jhApi + "/users", bobToken, null).statusCode(), "the group's role lists users");

        // bob works, saves, and stops: his disk stays.
        startWithJupyterHub(jhApi, BOB, dir);
        assertEquals(201, send("PUT", jhPublic + "/user/bob/api/contents/results.txt", SERVICE_TOKEN,
                "{\"type\": \"file\", \"format\": \"text\", \"content\": \"bob's results\"}").statusCode());
        int stopped = send("DELETE", jhApi + "/users/bob/server", SERVICE_TOKEN, null).statusCode();
        assertTrue(stopped == 204 || stopped == 202, "stop of bob: " + stopped);
        awaitStopped(jhApi, BOB);
        // alice works and keeps her server running.
        startWithJupyterHub(jhApi, "alice@example.com", dir);
        assertEquals(201, send("PUT", jhPublic + "/user/alice@example.com/api/contents/notes.txt", SERVICE_TOKEN,
                "{\"type\": \"file\", \"format\": \"text\", \"content\": \"alice's notes\"}").statusCode());
        Pod alicePod = podOf(kube, "alice@example.com");
        String serverToken = alicePod.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("JUPYTERHUB_API_TOKEN")).findFirst().orElseThrow().getValue();

        // ---- JupyterHub stops; its pods stay -----------------------------------------------------
        jupyterhub.destroy();
        assertTrue(jupyterhub.waitFor(60, TimeUnit.SECONDS), "JupyterHub did not stop");
        assertEquals(alicePod.getMetadata().getUid(), podOf(kube, "alice@example.com").getMetadata().getUid());

        // ---- the move: translate values.yaml, import the database --------------------------------
        Files.writeString(dir.resolve("values.yaml"), """
                singleuser:
                  image: {name: %s, tag: "%s"}
                  uid: 1000
                  fsGid: 100
                  storage:
                    type: dynamic
                    capacity: 1Gi
                    dynamic: {storageClass: standard-rwo}
                  lifecycleHooks:
                    postStart: {exec: {command: ["sh", "-c", "echo hi"]}}
                cull:
                  timeout: 3600
                  every: 600
                proxy:
                  secretToken: "0f4c1d2e3b4a59687766554433221100"
                hub:
                  config:
                    JupyterHub: {authenticator_class: dummy}
                """.formatted(IMAGE.substring(0, IMAGE.indexOf(':')), IMAGE.substring(IMAGE.indexOf(':') + 1)));
        Command translate = hubCommand(dir, "translate-z2jh", "--values", dir.resolve("values.yaml").toString(),
                "--profiles-out", dir.resolve("profiles.yaml").toString(), "--settings-out", dir.resolve("hub-settings.yaml").toString());
        assertEquals(0, translate.status(), translate.output());
        for (String line : List.of("Wrote " + dir.resolve("profiles.yaml") + " (1 profiles)", "cull.timeout: timeout = 3600",
                "singleuser.storage: every profile's storage: {kind=pd, storage_class=standard-rwo, size=1Gi}",
                "Not translated (3):", "singleuser.lifecycleHooks.postStart.exec.command: Ganymede's pods have no lifecycle hooks",
                "proxy.secretToken: Ganymede runs its own proxy", "hub.config.JupyterHub.authenticator_class: set ganymede.auth.mode")) {
            assertTrue(translate.output().contains(line), "'" + line + "' missing in:\n" + translate.output());
        }

        String database = "jdbc:h2:file:" + dir.resolve("ganymede") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        List<String> importArgs = List.of("import-jupyterhub", "--from", "sqlite:///" + dir.resolve("jupyterhub.sqlite"),
                "--to", database, "--settings-out", dir.resolve("roles.yaml").toString());
        Command dryRun = hubCommand(dir, concat(importArgs, "--dry-run"));
        assertEquals(0, dryRun.status(), dryRun.output());
        for (String line : List.of("Dry run: nothing is changed.", "create    user alice@example.com\n", "create    user bob\n",
                "create    group data-science: members alice@example.com, bob; properties {\"cost-center\":\"ds-42\"}",
                "create    role data-readers: scopes list:users, read:users; users none; groups data-science",
                "create    server alice@example.com/: running at http://" + alicePod.getStatus().getPodIP() + ":8888",
                "\"namespace\":\"" + NAMESPACE + "\"", "\"pod_name\":\"" + alicePod.getMetadata().getName() + "\"",
                "create    server bob/: stopped; state {\"pvc_name\":\"claim-bob\"}",
                "create    oauth client jupyterhub-user-alice%40example.com: for server alice@example.com/",
                "api, scopes read:users, note 'pipeline'", "server, scopes access:servers!server=alice@example.com/ users:activity!user",
                "skip      token a1 of service pipeline-admin: a service's token")) {
            assertTrue(dryRun.output().contains(line), "'" + line + "' missing in:\n" + dryRun.output());
        }
        Command imported = hubCommand(dir, importArgs.toArray(String[]::new));
        assertEquals(0, imported.status(), imported.output());
        assertTrue(imported.output().contains("0 conflicts") && imported.output().endsWith("Done.\n"), imported.output());

        // ---- Ganymede on the same namespace, on the hub address the pods know --------------------
        ganymede = new HubProcess(HubProcess.freePort(), HubProcess.freePort(), hubPort, Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_SPAWNER_KIND", "kubernetes",
                "KUBECONFIG", kubeconfig.toString(),
                "GANYMEDE_KUBERNETES_NAMESPACE", NAMESPACE,
                "GANYMEDE_KUBERNETES_ADOPT_KUBESPAWNER_PODS", "true",
                "GANYMEDE_PROFILES_PATH", dir.resolve("profiles.yaml").toString(),
                "QUARKUS_DATASOURCE_JDBC_URL", database,
                "QUARKUS_CONFIG_LOCATIONS", dir.resolve("roles.yaml") + "," + dir.resolve("hub-settings.yaml")));
        ganymede.awaitUp(ganymede.publicUrl("/hub/api/"), Duration.ofSeconds(90));
        String api = ganymede.publicUrl("/hub/api");

        // alice's server: adopted, not restarted, reachable through Ganymede's proxy with her file.
        awaitTrue(() -> JSON.readTree(send("GET", api + "/users/alice@example.com", ADMIN, null).body())
                .path("servers").path("").path("ready").asBoolean(), Duration.ofSeconds(60), "alice's server adopted as ready");
        Thread.sleep(2000); // a poll of the spawner has passed
        assertEquals(alicePod.getMetadata().getUid(), podOf(kube, "alice@example.com").getMetadata().getUid(), "alice's pod is the same");
        assertEquals(alicePod.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt(),
                podOf(kube, "alice@example.com").getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt(),
                "alice's server was not restarted");
        String aliceOwn = JSON.readTree(send("POST", api + "/users/alice@example.com/tokens", ADMIN, "{\"note\": \"after\"}").body())
                .path("token").asText();
        HttpResponse<String> notes = send("GET", ganymede.publicUrl("/user/alice@example.com/api/contents/notes.txt"), aliceOwn, null);
        assertEquals(200, notes.statusCode(), notes.body() + "\n" + ganymede.logText());
        assertEquals("alice's notes", JSON.readTree(notes.body()).path("content").asText());

        // Her browser goes through the OAuth step again, with the client JupyterHub registered for
        // her server (its secret is the server's token, hashed by JupyterHub), and lands on JupyterLab.
        Browser browser = new Browser();
        HttpResponse<String> login = browser.open(ganymede.publicUrl("/user/alice@example.com/lab"));
        assertEquals("/hub/login", login.uri().getPath(), login.uri().toString());
        // The client id jupyterhub-user-alice%40example.com, escaped in the authorize URL, escaped again in next.
        assertTrue(login.uri().getRawQuery().contains("client_id%3Djupyterhub-user-alice%252540example.com"), login.uri().toString());
        HttpResponse<String> lab = browser.signIn(login, "alice@example.com");
        assertEquals(200, lab.statusCode(), lab.uri() + " " + lab.body() + "\n" + ganymede.logText());
        assertEquals("/user/alice@example.com/lab", lab.uri().getRawPath());

        // Her pipeline's token works unchanged, with its scopes.
        HttpResponse<String> whoami = send("GET", api + "/user", pipeline, null);
        assertEquals(200, whoami.statusCode(), whoami.body());
        assertEquals("alice@example.com", JSON.readTree(whoami.body()).path("name").asText());
        assertEquals(200, send("GET", api + "/users/alice@example.com", pipeline, null).statusCode());
        assertEquals(403, send("POST", api + "/users/alice@example.com/tokens", pipeline, "{}").statusCode());

        // Her server's activity reaches Ganymede with the token JupyterHub gave the pod.
        String when = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        HttpResponse<String> activity = send("POST", api + "/users/alice@example.com/activity", serverToken,
                "{\"last_activity\": \"" + when + "\", \"servers\": {\"\": {\"last_activity\": \"" + when + "\"}}}");
        assertEquals(200, activity.statusCode(), activity.body());
        awaitTrue(() -> !Instant.parse(JSON.readTree(send("GET", api + "/users/alice@example.com", ADMIN, null).body())
                .path("servers").path("").path("last_activity").asText()).isBefore(Instant.parse(when)),
                Duration.ofSeconds(10), "the server's activity recorded");

        // bob starts again under Ganymede and finds his files.
        assertTrue(List.of(201, 202).contains(send("POST", api + "/users/bob/server", ADMIN, "{}").statusCode()));
        String progress = send("GET", api + "/users/bob/server/progress", ADMIN, null).body();
        assertTrue(progress.contains("\"ready\":true"), progress + "\n" + ganymede.logText());
        String bobOwn = JSON.readTree(send("POST", api + "/users/bob/tokens", ADMIN, "{}").body()).path("token").asText();
        HttpResponse<String> results = send("GET", ganymede.publicUrl("/user/bob/api/contents/results.txt"), bobOwn, null);
        assertEquals(200, results.statusCode(), results.body());
        assertEquals("bob's results", JSON.readTree(results.body()).path("content").asText());
        assertEquals("claim-bob", podOf(kube, BOB).getSpec().getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null).findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());

        // The group's role grants the same scopes: bob's token from JupyterHub lists users.
        HttpResponse<String> users = send("GET", api + "/users", bobToken, null);
        assertEquals(200, users.statusCode(), users.body());
        JsonNode me = JSON.readTree(send("GET", api + "/user", bobToken, null).body());
        assertTrue(me.path("roles").toString().contains("data-readers"), me.toString());
        assertTrue(me.path("groups").toString().contains("data-science"), me.toString());

        // Still alice's same server after the hub's checks of its servers (at start, then polls).
        JsonNode alice = JSON.readTree(send("GET", api + "/users/alice@example.com", ADMIN, null).body());
        assertTrue(alice.path("servers").path("").path("ready").asBoolean(), alice + "\n" + ganymede.logText());
        assertEquals(alicePod.getMetadata().getUid(), podOf(kube, "alice@example.com").getMetadata().getUid());
        assertEquals(200, send("GET", ganymede.publicUrl("/user/alice@example.com/api/contents/notes.txt"), aliceOwn, null)
                .statusCode());
    }

    private static void startWithJupyterHub(String jhApi, String user, Path dir) throws Exception {
        int status = send("POST", jhApi + "/users/" + user + "/server", SERVICE_TOKEN, "{}").statusCode();
        // JupyterHub 5.5 may answer a start slower than slow_spawn_timeout with 202 (or a 500 while it goes on).
        assertTrue(List.of(201, 202, 500).contains(status), "start of " + user + ": " + status);
        awaitTrue(() -> JSON.readTree(send("GET", jhApi + "/users/" + user, SERVICE_TOKEN, null).body())
                .path("servers").path("").path("ready").asBoolean(), Duration.ofSeconds(240),
                user + "'s server ready under JupyterHub:\n" + tail(dir.resolve("jupyterhub.log")));
    }

    private static void awaitStopped(String jhApi, String user) throws Exception {
        awaitTrue(() -> JSON.readTree(send("GET", jhApi + "/users/" + user, SERVICE_TOKEN, null).body())
                .path("servers").path("").isMissingNode(), Duration.ofSeconds(120), user + "'s server stopped");
    }

    private static Pod podOf(KubernetesClient kube, String user) {
        return kube.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null
                        && user.equals(p.getMetadata().getAnnotations().get("hub.jupyter.org/username")))
                .findFirst().orElseThrow(() -> new AssertionError("no pod of " + user));
    }

    private record Command(int status, String output) {}

    /** The hub jar run as a command, as the guide runs it. */
    private static Command hubCommand(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", HubProcess.ROOT.resolve("hub/target/ganymede-hub-runner.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "command", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("commands-stderr.log").toFile()))
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "hub command " + args[0] + " did not finish");
        return new Command(p.exitValue(), Files.readString(out));
    }

    private static String[] concat(List<String> args, String more) {
        List<String> all = new ArrayList<>(args);
        all.add(more);
        return all.toArray(String[]::new);
    }

    private static HttpResponse<String> send(String method, String url, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "token " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitUp(String url, Path log) throws Exception {
        awaitTrue(() -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
            } catch (IOException notYet) {
                return false;
            }
        }, Duration.ofSeconds(90), "JupyterHub up at " + url + ":\n" + tail(log));
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            Thread.sleep(500);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 6000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
