package io.ganymede.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.e2e.testbed.Testbed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Many users starting their default servers at once through a hub's REST API, on the test bed's
 * control plane, and what the fault tests check afterwards: every start ended ready or failed with
 * a message, none is left pending, and the hub's records, its proxy's routes and the pods agree
 * (one pod per ready server, no pod or claim the hub does not account for).
 *
 * <p>The servers are stand-ins that answer HTTP at once (a few lines of Python bound to the pod's
 * address): what is tested is the hub and the control plane, and fifty real Jupyter servers do not
 * fit on two shared cores.
 */
final class ServerStorm {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The profile every user starts: two CPUs and a persistent disk of their own. */
    static final String OPTIONS = "{\"profile\": \"cpu-small\"}";
    /** The image profiles.yaml's cpu-small runs. */
    static final String IMAGE = "quay.io/jupyter/scipy-notebook:2025-10-20";
    /** The stand-in server: answers every GET with 200 and a version, at the address the hub gave the pod. */
    static final List<String> STAND_IN = List.of("python3", "-c", String.join("\n",
            "import http.server, os, urllib.parse",
            "u = urllib.parse.urlparse(os.environ['JUPYTERHUB_SERVICE_URL'])",
            "class H(http.server.BaseHTTPRequestHandler):",
            "    def do_GET(self):",
            "        b = b'{\"version\": \"stand-in\"}'",
            "        self.send_response(200)",
            "        self.send_header('Content-Type', 'application/json')",
            "        self.send_header('Content-Length', str(len(b)))",
            "        self.end_headers()",
            "        self.wfile.write(b)",
            "    def log_message(self, *a):",
            "        pass",
            "http.server.ThreadingHTTPServer((u.hostname, u.port), H).serve_forever()"));

    final HubProcess hub;
    final String token;
    final KubernetesClient kube;
    final String namespace;
    /** 429 answers seen: message and Retry-After. */
    final List<String> refusals = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerStorm(HubProcess hub, String token, KubernetesClient kube, String namespace) {
        this.hub = hub;
        this.token = token;
        this.kube = kube;
        this.namespace = namespace;
    }

    /** A namespace whose cpu-small image is the stand-in server; other test classes keep theirs. */
    static String namespace(Testbed testbed, String name) {
        testbed.namespace(name);
        testbed.kubelet().image(name, IMAGE, STAND_IN);
        return name;
    }

    /** Users named by e-mail, some needing escaping in URLs. */
    static List<String> users(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> switch (i % 3) {
            case 0 -> prefix + i + "@example.com";
            case 1 -> prefix + ".o'neil+" + i + "@example.com";
            default -> prefix + "-" + i + "@data.example.org";
        }).toList();
    }

    void createUsers(List<String> users) throws Exception {
        for (String user : users) {
            int status = call("POST", "/users/" + Names.path(user), null).statusCode();
            if (status != 201) {
                throw new AssertionError("creating " + user + " answered " + status);
            }
        }
    }

    /**
     * Every user starts at once; a 429 is waited out as its Retry-After says, as a polite client
     * does. Answers each user's outcome: "ready", "failed: <message>", or what went wrong.
     */
    Map<String, String> startAll(List<String> users) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(users.size());
        try {
            Map<String, Future<String>> running = new TreeMap<>();
            for (String user : users) {
                running.put(user, pool.submit(() -> start(user)));
            }
            Map<String, String> outcomes = new TreeMap<>();
            for (var e : running.entrySet()) {
                outcomes.put(e.getKey(), e.getValue().get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Starts in the background; the futures answer as {@link #startAll} does. */
    Map<String, Future<String>> startInBackground(List<String> users, ExecutorService pool) {
        Map<String, Future<String>> running = new TreeMap<>();
        for (String user : users) {
            running.put(user, pool.submit(() -> start(user)));
        }
        return running;
    }

    String start(String user) throws Exception {
        String server = "/users/" + Names.path(user) + "/server";
        while (true) {
            HttpResponse<String> answer;
            try {
                answer = call("POST", server, OPTIONS);
            } catch (IOException e) {
                return "start request failed: " + e;
            }
            if (answer.statusCode() == 429) {
                String after = answer.headers().firstValue("Retry-After").orElse("");
                refusals.add(JSON.readTree(answer.body()).path("message").asText() + " | Retry-After " + after);
                Thread.sleep(Math.max(1, after.isEmpty() ? 1 : Long.parseLong(after)) * 1000);
                continue;
            }
            if (answer.statusCode() != 201 && answer.statusCode() != 202) {
                return "start answered " + answer.statusCode() + " " + answer.body();
            }
            return outcome(server);
        }
    }

    /** The last event of the server's progress stream: "ready", or "failed: <message>". */
    private String outcome(String server) {
        try {
            String events = call("GET", server + "/progress", null).body();
            JsonNode last = null;
            for (String line : events.split("\n")) {
                if (line.startsWith("data:")) {
                    last = JSON.readTree(line.substring(5).trim());
                }
            }
            if (last != null && last.path("ready").asBoolean()) {
                return "ready";
            }
            if (last != null && last.path("failed").asBoolean()) {
                return "failed: " + last.path("message").asText();
            }
            return "progress ended without an outcome: " + events;
        } catch (IOException | InterruptedException e) {
            return "progress failed: " + e;
        }
    }

    /**
     * Waits until every user's server is either ready (its pod Ready, its route in the proxy, and
     * it answers through the proxy) or stopped (no pod, no route), nothing pending, and every pod
     * in the namespace is a ready server's and every claim a known server's. Answers each user's
     * state; fails with what disagreed.
     */
    Map<String, String> awaitAgreement(List<String> users, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String disagreement;
        Map<String, String> states = new TreeMap<>();
        do {
            disagreement = disagreement(users, states);
            if (disagreement == null) {
                return states;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not in agreement within " + within + ": " + disagreement + "\n" + states);
    }

    private String disagreement(List<String> users, Map<String, String> states) throws Exception {
        JsonNode routes = JSON.readTree(call("GET", "/proxy", null).body());
        Map<String, Pod> pods = kube.pods().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
        Set<String> podsOfReady = ConcurrentHashMap.newKeySet();
        List<String> problems = new ArrayList<>();
        for (String user : users) {
            JsonNode model = JSON.readTree(call("GET", "/users/" + Names.path(user), null).body());
            JsonNode server = model.path("servers").path("");
            String route = Names.prefix(user, "").replaceAll("/$", "");
            if (server.isMissingNode()) {
                states.put(user, "stopped");
                if (routes.has(route)) {
                    problems.add(user + " is stopped but has a route");
                }
                continue;
            }
            if (!server.path("ready").asBoolean() || !server.path("pending").isNull()) {
                states.put(user, "pending " + server.path("pending").asText());
                problems.add(user + " is pending " + server.path("pending").asText());
                continue;
            }
            states.put(user, "ready");
            String podName = server.path("state").path("pod_name").asText();
            Pod pod = pods.get(podName);
            if (pod == null || !podReady(pod)) {
                problems.add(user + " is ready but its pod " + podName + (pod == null ? " is gone" : " is not ready"));
            }
            if (!routes.has(route)) {
                problems.add(user + " is ready with no route");
            } else if (!answers(user)) {
                problems.add(user + " is ready but does not answer through the proxy");
            }
            podsOfReady.add(podName);
        }
        List<String> orphanPods = pods.keySet().stream().filter(p -> !podsOfReady.contains(p)).sorted().toList();
        if (!orphanPods.isEmpty()) {
            problems.add("pods no ready server has: " + orphanPods);
        }
        Set<String> known = Set.copyOf(users);
        List<String> orphanClaims = kube.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
                .filter(c -> !known.contains(claimUser(c))).map(c -> c.getMetadata().getName()).toList();
        if (!orphanClaims.isEmpty()) {
            problems.add("claims of no user: " + orphanClaims);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static String claimUser(PersistentVolumeClaim c) {
        Map<String, String> a = c.getMetadata().getAnnotations();
        return a == null ? null : a.get("hub.jupyter.org/username");
    }

    static boolean podReady(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The server answers through the hub's proxy, as a user's browser reaches it. */
    boolean answers(String user) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(Names.prefix(user, "") + "api")))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"version\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(hub.hubUrl("/hub/api" + path)))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(300))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode model(String user) throws IOException, InterruptedException {
        return JSON.readTree(call("GET", "/users/" + Names.path(user), null).body());
    }
}
