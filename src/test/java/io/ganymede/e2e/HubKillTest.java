package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hub killed (SIGKILL, as the OOM killer or a failing node does) in the middle of a burst of
 * API writes and of the starts of several real {@code jupyterhub-singleuser} servers, then started
 * again on the same folder and ports:
 * <ul>
 *   <li>no acknowledged write is lost: every user and token answered 201 exists, and the tokens
 *       still authenticate;</li>
 *   <li>every server is settled within 30 s of the restart: ready, and answering
 *       through the proxy at {@code /user/<name>/api} (not redirected to the hub), or stopped;</li>
 *   <li>no server is ever reported ready without a live process behind it;</li>
 *   <li>no orphan: every single-user process the killed hub started is a ready server of the
 *       restarted hub, or gone.</li>
 * </ul>
 * The time from the restart to all settled is printed as "recovery".
 */
class HubKillTest {

    private static final String ADMIN = "kill-test-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Counted from the restart, the hub's JVM start included (about 4 s of the 5 s it took in CI
     * on two cores); how long the hub took to answer is printed too.
     */
    private static final Duration SETTLE_WITHIN = Duration.ofSeconds(30);
    /** Alice's server is ready before the kill; the others are starting when it comes. */
    private static final List<String> SERVER_USERS = List.of(Names.ALICE, Names.OBRIEN,
            "carol@example.com", "dave@example.com", "erin@example.com");
    private static final int WRITERS = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long the restarted hub took to answer its API at all. */
    private Duration answeredAfter;

    @Test
    void aKilledHubLosesNothingItAcknowledgedAndSettlesEveryServer() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/jupyterhub-singleuser")),
                "apt-get install -y jupyterhub python3-notebook python3-ipykernel");
        Map<String, String> env = Map.of("GANYMEDE_ADMIN_TOKEN", ADMIN);
        Set<String> users = ConcurrentHashMap.newKeySet();
        Map<String, String> tokens = new ConcurrentHashMap<>();
        Set<Long> startedByKilledHub = new TreeSet<>();
        HubProcess first = new HubProcess(env);
        Path servers = first.workDir.resolve("data/servers");
        HubProcess second = null;
        try {
            first.awaitUp(first.hubUrl("/hub/api/"), Duration.ofSeconds(60));
            for (String user : SERVER_USERS) {
                assertEquals(201, call(first, "POST", "/users/" + Names.path(user), null).statusCode());
            }
            String alice = "/users/" + Names.path(Names.ALICE) + "/server";
            int aliceStart = call(first, "POST", alice, "{}").statusCode();
            assertTrue(aliceStart == 201 || aliceStart == 202, "alice's start answered " + aliceStart);
            String progress = call(first, "GET", alice + "/progress", null).body();
            assertTrue(progress.contains("\"ready\":true"), progress + "\n" + first.logText());

            // Writers create users and tokens as fast as the hub answers, until it is killed.
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int writer = t;
                Thread thread = new Thread(() -> write(first, writer, writing, users, tokens), "writer-" + t);
                thread.start();
                writers.add(thread);
            }
            Thread.sleep(1500);
            // The other servers start; the hub is killed as soon as the first of their processes runs.
            Set<Long> before = singleUserProcesses(servers);
            for (String user : SERVER_USERS.subList(1, SERVER_USERS.size())) {
                http.sendAsync(request(first, "POST", "/users/" + Names.path(user) + "/server", "{}"),
                        HttpResponse.BodyHandlers.discarding());
            }
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (before.containsAll(singleUserProcesses(servers))) {
                assertTrue(System.nanoTime() < until, "no server process started:\n" + first.logText());
                Thread.sleep(10);
            }
            startedByKilledHub.addAll(singleUserProcesses(servers));
            first.kill();
            startedByKilledHub.addAll(singleUserProcesses(servers));
            writing.set(false);
            for (Thread thread : writers) {
                thread.join();
            }
            System.out.printf("killed the hub after %d users and %d tokens acknowledged, %d server processes running%n",
                    users.size(), tokens.size(), startedByKilledHub.size());
            assertTrue(users.size() > 20, "the burst wrote too little to mean anything: " + users.size());

            long restart = System.nanoTime();
            second = new HubProcess(first, env);
            String unsettled = awaitSettled(second, servers, restart);
            HubProcess restarted = second;
            System.out.println("restarted hub:\n" + restarted.logText().lines()
                    .filter(l -> l.contains("adopt") || l.contains("orphan") || l.contains("left starting")
                            || l.contains("is gone") || l.contains("ready at") || l.contains("failed to start"))
                    .collect(Collectors.joining("\n")));

            List<String> lost = new ArrayList<>();
            for (String user : users) {
                if (call(second, "GET", "/users/" + Names.path(user), null).statusCode() != 200) {
                    lost.add("user " + user);
                }
            }
            for (Map.Entry<String, String> token : tokens.entrySet()) {
                HttpResponse<String> self = http.send(HttpRequest.newBuilder(URI.create(second.hubUrl("/hub/api/user")))
                        .header("Authorization", "token " + token.getKey()).build(), HttpResponse.BodyHandlers.ofString());
                if (self.statusCode() != 200 || !token.getValue().equals(JSON.readTree(self.body()).path("name").asText())) {
                    lost.add("a token of " + token.getValue());
                }
            }
            Map<Long, String> ready = readyServers(second);
            Set<Long> orphans = startedByKilledHub.stream().filter(pid -> !ready.containsKey(pid) && alive(pid))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertAll(
                    () -> assertEquals(List.of(), lost, lost.size() + " of " + (users.size() + tokens.size())
                            + " writes acknowledged with a 201 are lost"),
                    () -> assertNull(unsettled, unsettled + "\n" + restarted.logText()),
                    () -> assertEquals(Set.of(), orphans, "processes started by the killed hub run on unrecorded; ready: " + ready));
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
            // Whatever a failed run left behind.
            singleUserProcesses(servers).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** One writer: a user, then a token of theirs, again and again; every 201 is recorded. */
    private void write(HubProcess hub, int writer, AtomicBoolean writing, Set<String> users, Map<String, String> tokens) {
        for (int i = 0; writing.get(); i++) {
            // Every third name needs escaping in a URL, as o'brien+test@example.com does.
            String user = (i % 3 == 0 ? "o'brien+" : "user-") + writer + "-" + i + "@example.com";
            try {
                if (call(hub, "POST", "/users/" + Names.path(user), null).statusCode() != 201) {
                    continue;
                }
                users.add(user);
                HttpResponse<String> token = call(hub, "POST", "/users/" + Names.path(user) + "/tokens", "{\"note\": \"burst\"}");
                if (token.statusCode() == 201) {
                    tokens.put(JSON.readTree(token.body()).get("token").asText(), user);
                }
            } catch (IOException killed) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Watches the restarted hub until every server is ready behind its route or stopped, and
     * every single-user process under the data folder is a ready server's; fails at once if any
     * server is ever reported ready while its process is gone. Prints the time from the restart;
     * answers null when settled in time, else what was left unsettled.
     */
    private String awaitSettled(HubProcess hub, Path servers, long restart) throws Exception {
        answeredAfter = hub.awaitUp(hub.hubUrl("/hub/api/"), Duration.ofSeconds(120));
        long deadline = restart + SETTLE_WITHIN.toNanos();
        Map<String, String> last = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            boolean settled = true;
            for (String user : SERVER_USERS) {
                String state;
                try {
                    state = settledState(hub, user);
                } catch (IOException refused) {
                    state = "hub not answering";
                }
                last.put(user, state);
                settled &= state.equals("ready") || state.equals("stopped");
            }
            if (settled) {
                Map<Long, String> ready = readyServers(hub);
                Set<Long> unknown = singleUserProcesses(servers).stream().filter(pid -> !ready.containsKey(pid))
                        .collect(Collectors.toCollection(TreeSet::new));
                if (unknown.isEmpty()) {
                    long took = Duration.ofNanos(System.nanoTime() - restart).toMillis();
                    System.out.printf("recovery: all %d servers settled %d ms after the restart; the hub answered after %d ms, "
                            + "settled %d ms later%n", SERVER_USERS.size(), took, answeredAfter.toMillis(), took - answeredAfter.toMillis());
                    return null;
                }
                last.put("processes no server is", unknown.toString());
            }
            Thread.sleep(100);
        }
        return "not settled " + SETTLE_WITHIN.toSeconds() + " s after the restart (the hub answered after "
                + answeredAfter.toMillis() + " ms): " + last;
    }

    /** ready (behind its route), stopped, or what it is still doing. */
    private String settledState(HubProcess hub, String user) throws Exception {
        HttpResponse<String> response = call(hub, "GET", "/users/" + Names.path(user), null);
        if (response.statusCode() != 200) {
            return "GET user " + response.statusCode();
        }
        JsonNode model = JSON.readTree(response.body());
        JsonNode server = model.path("servers").path("");
        if (server.isMissingNode()) {
            return model.path("pending").isNull() ? "stopped" : "pending " + model.path("pending").asText();
        }
        if (!server.path("ready").asBoolean()) {
            return "pending " + server.path("pending").asText();
        }
        long pid = server.path("state").path("pid").asLong();
        assertTrue(alive(pid), user + "'s server is reported ready and its process " + pid + " is gone: " + server);
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(Names.prefix(user, "") + "api")))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (api.statusCode() != 200 || !api.body().contains("\"version\"")) {
            return "ready, but the proxy answers " + api.statusCode() + " " + api.headers().firstValue("Location").orElse("");
        }
        return "ready";
    }

    /** The pids of the servers the hub reports ready, and whose they are. */
    private Map<Long, String> readyServers(HubProcess hub) throws Exception {
        Map<Long, String> ready = new LinkedHashMap<>();
        for (String user : SERVER_USERS) {
            JsonNode server = JSON.readTree(call(hub, "GET", "/users/" + Names.path(user), null).body()).path("servers").path("");
            if (server.path("ready").asBoolean()) {
                ready.put(server.path("state").path("pid").asLong(), user);
            }
        }
        return ready;
    }

    /** Live jupyterhub-singleuser processes working in a folder under {@code servers}: this test's. */
    private static Set<Long> singleUserProcesses(Path servers) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("jupyterhub-singleuser")).orElse(false))
                .filter(p -> {
                    try {
                        return Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd")).startsWith(servers);
                    } catch (IOException | UnsupportedOperationException gone) {
                        return false;
                    }
                })
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private HttpResponse<String> call(HubProcess hub, String method, String path, String body) throws IOException, InterruptedException {
        return http.send(request(hub, method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(HubProcess hub, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.hubUrl("/hub/api" + path)))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "token " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return request.build();
    }
}
