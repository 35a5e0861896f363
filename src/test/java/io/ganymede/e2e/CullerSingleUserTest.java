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
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The built-in culler with Debian's real {@code jupyterhub-singleuser}: traffic through the proxy
 * that is not Jupyter activity (an open tab loading static files) does not keep the server alive,
 * because the server reports its own activity; it is stopped once idle for the timeout.
 */
class CullerSingleUserTest {

    private static final String USER_PATH = Names.path(Names.OBRIEN);

    private static final String ADMIN = "e2e-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient api = HttpClient.newHttpClient();

    @Test
    void anOpenButUnusedTabDoesNotKeepAJupyterServerAlive() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/jupyterhub-singleuser")),
                "apt-get install -y jupyterhub python3-notebook python3-ipykernel");
        try (HubProcess hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
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
                        browser.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(Names.prefix(Names.OBRIEN, "") + "static/base/images/favicon.ico"))).build(),
                                HttpResponse.BodyHandlers.discarding());
                        answered.incrementAndGet();
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

    private HttpResponse<String> call(HubProcess hub, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + ADMIN).timeout(Duration.ofSeconds(60));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
