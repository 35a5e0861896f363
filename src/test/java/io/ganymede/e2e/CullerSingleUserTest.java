package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Culling real single-user servers. The built-in culler with the real {@code jupyterhub-singleuser}
 * of JupyterHub 3.0, 5.5 and 6.1: traffic through the proxy that is not Jupyter activity (an open
 * tab loading static files) does not keep the server alive, because the server reports its own
 * activity; it is stopped once idle for the timeout. And the real jupyterhub-idle-culler, as z2jh
 * runs it, against the hub's REST API in place of the built-in one.
 */
class CullerSingleUserTest {

    private static final String USER_PATH = Names.path(Names.OBRIEN);

    private static final String ADMIN = "e2e-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient api = HttpClient.newHttpClient();

    @ParameterizedTest(name = "JupyterHub {0}")
    @EnumSource(Peers.JupyterHub.class)
    void anOpenButUnusedTabDoesNotKeepAJupyterServerAlive(Peers.JupyterHub jupyterhub) throws Exception {
        String singleUser = jupyterhub.require().singleUser().toString();
        try (HubProcess hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_SPAWNER_LOCAL_CMD", singleUser,
                "GANYMEDE_CULLER_TIMEOUT", "25",
                "GANYMEDE_CULLER_EVERY", "3",
                "GANYMEDE_CULLER_WARNING", "10s",
                "JUPYTERHUB_ACTIVITY_INTERVAL", "2",
                "GANYMEDE_SPAWNER_LOCAL_ENV_KEEP", "PATH,LANG,JUPYTERHUB_ACTIVITY_INTERVAL"))) {
            // A loaded machine can take long to start the hub.
            hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(120));
            assertEquals(201, call(hub, "POST", "/users/" + USER_PATH, null).statusCode());
            int started = call(hub, "POST", "/users/" + USER_PATH + "/server", "{}").statusCode();
            assertTrue(started == 201 || started == 202, "start answered " + started);
            String progress = call(hub, "GET", "/users/" + USER_PATH + "/server/progress", null).body();
            assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText());

            // The tab: a request through the proxy every second, none of it kernel or API work.
            AtomicBoolean open = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            Thread tab = new Thread(() -> {
                while (open.get()) {
                    try {
                        HttpResponse<Void> icon = browser.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(Names.prefix(Names.OBRIEN, "")
                                + jupyterhub.staticFile()))).build(), HttpResponse.BodyHandlers.discarding());
                        if (icon.statusCode() == 200) {
                            answered.incrementAndGet();
                        }
                        Thread.sleep(1000);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            tab.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                boolean warned = false;
                JsonNode servers;
                do {
                    Thread.sleep(1000);
                    servers = JSON.readTree(call(hub, "GET", "/users/" + USER_PATH, null).body()).path("servers");
                    warned |= servers.path("").path("cull_warning").asBoolean(false);
                } while (servers.has("") && System.nanoTime() < deadline);
                assertTrue(!servers.has(""), "still running after 90 s: " + servers + "\n" + hub.logText());
                assertTrue(warned, "no cull_warning seen before the stop");
                assertTrue(answered.get() > 20, "the tab's requests did not get through: " + answered.get());
                assertTrue(hub.logText().contains("culling server " + Names.OBRIEN), hub.logText());
            } finally {
                open.set(false);
                tab.join();
            }
            JsonNode culler = JSON.readTree(call(hub, "GET", "/culler", null).body());
            assertEquals(25, culler.path("timeout").asInt(), culler.toString());
            assertTrue(culler.path("leader").asBoolean(), culler.toString());
        }
    }

    /**
     * jupyterhub-idle-culler 1.4.0 (z2jh 4.4's) and 2.0.0, each beside the JupyterHub release it
     * comes with, culling through the hub's API with the built-in culler off: O'Brien's idle server
     * is stopped and, as {@code --cull-users} asks, O'Brien removed; Alice's idle named server is
     * stopped; Alice's server, which she keeps using, is left running. The culler escapes names
     * itself (its own {@code quote}, and none at all in a user's {@code DELETE}), reads the
     * paginated {@code state=ready} and {@code state=inactive} lists and parses the hub's times.
     */
    @ParameterizedTest(name = "jupyterhub-idle-culler {0}")
    @EnumSource(Peers.IdleCuller.class)
    void jupyterhubIdleCullerStopsIdleServersThroughTheApi(Peers.IdleCuller culler) throws Exception {
        String singleUser = culler.installedWith.require().singleUser().toString();
        try (HubProcess hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_CULLER_ENABLED", "false",
                "GANYMEDE_SPAWNER_LOCAL_CMD", singleUser,
                "JUPYTERHUB_ACTIVITY_INTERVAL", "2",
                "GANYMEDE_SPAWNER_LOCAL_ENV_KEEP", "PATH,LANG,JUPYTERHUB_ACTIVITY_INTERVAL"))) {
            hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(120));
            String alice = Names.path(Names.ALICE);
            String named = "/users/" + alice + "/servers/" + Names.path(Names.SERVER);
            for (String user : List.of(alice, USER_PATH)) {
                assertEquals(201, call(hub, "POST", "/users/" + user, null).statusCode());
            }
            for (String server : List.of("/users/" + USER_PATH + "/server", "/users/" + alice + "/server", named)) {
                int started = call(hub, "POST", server, "{}").statusCode();
                assertTrue(started == 201 || started == 202, server + " start answered " + started);
                String progress = call(hub, "GET", server + "/progress", null).body();
                assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText());
            }

            // Alice works on her default server: her requests to its REST API are Jupyter activity,
            // which the server itself reports to the hub.
            String token = JSON.readTree(call(hub, "POST", "/users/" + alice + "/tokens", "{\"note\": \"e2e\"}").body()).get("token").asText();
            AtomicBoolean working = new AtomicBoolean(true);
            AtomicInteger worked = new AtomicInteger();
            Thread work = new Thread(() -> {
                while (working.get()) {
                    try {
                        HttpResponse<Void> contents = api.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(Names.prefix(Names.ALICE, "") + "api/contents")))
                                .header("Authorization", "token " + token).build(), HttpResponse.BodyHandlers.discarding());
                        if (contents.statusCode() == 200) {
                            worked.incrementAndGet();
                        }
                        Thread.sleep(1000);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            work.start();

            Path log = hub.workDir.resolve("idle-culler.log");
            List<String> command = new ArrayList<>(culler.command());
            command.addAll(List.of("--url=" + hub.publicUrl("/hub/api"), "--timeout=20", "--cull-every=3",
                    "--cull-users=true", "--api-page-size=1"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JUPYTERHUB_API_TOKEN", ADMIN);
            Process process = builder.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                JsonNode aliceModel;
                int obrien;
                do {
                    Thread.sleep(1000);
                    obrien = call(hub, "GET", "/users/" + USER_PATH, null).statusCode();
                    aliceModel = JSON.readTree(call(hub, "GET", "/users/" + alice, null).body());
                    assertTrue(process.isAlive(), "the culler exited:\n" + Files.readString(log));
                } while ((obrien != 404 || aliceModel.path("servers").has(Names.SERVER)) && System.nanoTime() < deadline);
                String logs = Files.readString(log) + "\n" + hub.logText();
                assertEquals(404, obrien, "O'Brien not removed:\n" + logs);
                assertTrue(!aliceModel.path("servers").has(Names.SERVER), "Alice's named server still running: " + aliceModel + "\n" + logs);
                // The culler did it (the hub's own is off), reading the names it was given.
                String cullerLog = Files.readString(log);
                assertTrue(cullerLog.contains("Culling server " + Names.ALICE + "/" + Names.SERVER), cullerLog);
                assertTrue(cullerLog.contains("Culling user " + Names.OBRIEN), cullerLog);
                JsonNode kept = aliceModel.path("servers").path("");
                assertTrue(kept.path("ready").asBoolean(), "Alice's busy server was culled: " + aliceModel + "\n" + logs);
                assertTrue(worked.get() > 20, "Alice's requests did not get through: " + worked.get());
            } finally {
                working.set(false);
                work.join();
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private HttpResponse<String> call(HubProcess hub, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + ADMIN).timeout(Duration.ofSeconds(60));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
