package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * code-server from npm ({@code src/test/peers/install-code-server.sh}) as users meet it: a profile
 * with {@code app: code-server}, started by the hub's local spawner as its pod starts it
 * ({@code --bind-addr 127.0.0.1:<port> --auth none}), served under {@code /user/<name>/} by the
 * proxy, which strips the prefix and lets in only a browser holding the hub's route-access cookie.
 * In headless Chromium the workbench comes up and lists the server's folder, which it reads over
 * its WebSocket; the page's static assets load under a named server's prefix; the WebSocket needs
 * the cookie of its own route. A script's API token with {@code access:servers} on the server
 * reaches it too (the proxy asks the hub), and one without it is refused.
 */
class CodeServerBehindProxyTest {

    private static final String ADMIN = "e2e-code-server-admin";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Written into the server's folder: the workbench can only list it through its server. */
    private static final String MARKER = "ganymede-marker.txt";

    private static HubProcess hub;
    private static final HttpClient api = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        String launcher = Peers.codeServer().toString();
        Path dir = Files.createTempDirectory("ganymede-code-server");
        Path profiles = dir.resolve("profiles.yaml");
        Files.writeString(profiles, """
                profiles:
                  - display_name: VS Code
                    slug: code
                    app: code-server
                """);
        hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN,
                "GANYMEDE_PROFILES_PATH", profiles.toString(),
                // Nothing leaves the machine: no telemetry, no update check; no trust prompt over the page.
                "GANYMEDE_SPAWNER_LOCAL_CODE_SERVER_CMD",
                launcher + ",--disable-telemetry,--disable-update-check,--disable-workspace-trust",
                // The extension gallery on loopback's discard port, where nothing answers.
                "EXTENSIONS_GALLERY", "{\"serviceUrl\": \"http://127.0.0.1:9/\"}",
                // VS Code's sockets go here rather than into /tmp, where they would outlive the test.
                "TMPDIR", Files.createDirectory(dir.resolve("tmp")).toString(),
                "GANYMEDE_SPAWNER_LOCAL_ENV_KEEP", "PATH,LANG,EXTENSIONS_GALLERY,TMPDIR"));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        for (String user : List.of(Names.ALICE, Names.OBRIEN)) {
            assertEquals(201, call("POST", "/users/" + Names.path(user), null).statusCode());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void theWorkbenchComesUpInABrowserAndReadsItsFolderOverTheWebSocket() throws Exception {
        String prefix = Names.prefix(Names.OBRIEN, "");
        Path folder = startServer(Names.OBRIEN, "");
        Files.writeString(folder.resolve(MARKER), "served by code-server behind Ganymede\n");
        try (Chromium chromium = new Chromium(true)) {
            // Not signed in: the proxy sends the browser to the hub, which asks who it is.
            // The folder's name carries the escaped user name ('%40'...), so it is escaped again.
            chromium.driver.get(hub.publicUrl(prefix + "?folder=" + URLEncoder.encode(folder.toString(), StandardCharsets.UTF_8)));
            chromium.wait.until(ExpectedConditions.urlContains("/hub/login"));
            var field = chromium.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
            field.sendKeys(Names.OBRIEN);
            field.submit();
            // Back at the server with its route-access cookie; the explorer lists the folder, which
            // the workbench reads from its server over the WebSocket.
            try {
                chromium.wait.withTimeout(Duration.ofSeconds(120)).until(ExpectedConditions.presenceOfElementLocated(
                        By.xpath("//*[contains(@class,'explorer-folders-view')]//*[text()='" + MARKER + "']")));
            } finally {
                chromium.shot("code-server-workbench");
            }
            assertTrue(chromium.driver.getCurrentUrl().startsWith(hub.publicUrl(prefix)), chromium.driver.getCurrentUrl());

            List<String> sockets = new ArrayList<>();
            List<Integer> statuses = new ArrayList<>();
            for (LogEntry entry : chromium.driver.manage().logs().get("performance")) {
                JsonNode message = JSON.readTree(entry.getMessage()).path("message");
                switch (message.path("method").asText()) {
                    case "Network.webSocketCreated" -> sockets.add(message.path("params").path("url").asText());
                    case "Network.webSocketHandshakeResponseReceived" ->
                            statuses.add(message.path("params").path("response").path("status").asInt());
                    default -> { }
                }
            }
            String socketPrefix = "ws://127.0.0.1:" + hub.publicPort + prefix;
            assertFalse(sockets.isEmpty(), "the workbench opened no WebSocket");
            assertTrue(sockets.stream().allMatch(url -> url.startsWith(socketPrefix)), sockets.toString());
            assertTrue(statuses.contains(101) && statuses.stream().allMatch(s -> s == 101), statuses + " for " + sockets);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + serverLog(Names.OBRIEN, ""), e);
        }
    }

    @Test
    void underANamedServersPrefixTheAssetsLoadAndTheWebSocketNeedsItsCookie() throws Exception {
        String prefix = Names.prefix(Names.ALICE, Names.SERVER);
        startServer(Names.ALICE, Names.SERVER);

        // Without the route-access cookie: the page is a redirect to the hub, the WebSocket a 403.
        HttpResponse<String> anonymous = api.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(prefix))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, anonymous.statusCode());
        String access = "/hub/open/" + Names.path(Names.ALICE) + "/" + Names.path(Names.SERVER);
        assertTrue(anonymous.headers().firstValue("Location").orElse("").startsWith(access + "?next="),
                anonymous.headers().toString());
        URI socket = URI.create("ws://127.0.0.1:" + hub.publicPort + prefix + "?reconnectionToken=" + UUID.randomUUID()
                + "&reconnection=false&skipWebSocketFrames=false");
        assertEquals(403, handshakeStatus(api, socket));

        // Alice signs in and gets the workbench at her server's prefix.
        Browser alice = new Browser();
        HttpResponse<String> login = alice.open(hub.publicUrl(prefix));
        assertEquals("/hub/login", login.uri().getPath(), login.uri().toString());
        HttpResponse<String> page = alice.signIn(login, Names.ALICE);
        assertEquals(200, page.statusCode(), page.uri() + "\n" + page.body() + "\n" + serverLog(Names.ALICE, Names.SERVER));
        assertTrue(page.uri().getRawPath().startsWith(prefix), page.uri().toString());
        assertTrue(page.body().contains("workbench"), page.body());

        // Its scripts and style sheets, referred to relative to the page, load through the proxy.
        List<URI> assets = assets(page);
        assertTrue(assets.stream().anyMatch(a -> a.getPath().endsWith("/workbench.js")) && assets.size() >= 3,
                "assets referred to: " + assets + "\n" + page.body());
        for (URI asset : assets) {
            assertTrue(asset.getRawPath().startsWith(prefix), asset + " is outside " + prefix);
            HttpResponse<byte[]> response = alice.http.send(HttpRequest.newBuilder(asset).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode(), asset.toString());
            assertTrue(response.body().length > 0, asset + " is empty");
        }

        // With her cookie the WebSocket is code-server's, as a browser on the page opens it.
        assertEquals(101, handshakeStatus(alice.http, socket));

        // O'Brien, signed in too, is not let into Alice's server.
        Browser obrien = new Browser();
        HttpResponse<String> denied = obrien.signIn(obrien.open(hub.publicUrl(prefix)), Names.OBRIEN);
        assertEquals(403, denied.statusCode(), denied.uri() + " " + denied.body());
        assertEquals(403, handshakeStatus(obrien.http, socket));
    }

    /**
     * A script or pipeline reaches the server with an API token instead of the cookie: the proxy
     * asks the hub whether the token holds {@code access:servers} on that server.
     */
    @Test
    void anApiTokenWithAccessToTheServerReachesIt() throws Exception {
        String prefix = Names.prefix(Names.OBRIEN, "pipeline");
        startServer(Names.OBRIEN, "pipeline");
        String own = token(Names.OBRIEN, "[\"access:servers!server=" + Names.OBRIEN + "/pipeline\"]");
        String otherServer = token(Names.OBRIEN, "[\"access:servers!server=" + Names.OBRIEN + "/elsewhere\"]");
        String alice = token(Names.ALICE, "[]");

        // code-server's own health endpoint, under the stripped prefix.
        HttpResponse<String> health = get(prefix + "healthz", "token " + own);
        assertEquals(200, health.statusCode(), health.body() + "\n" + serverLog(Names.OBRIEN, "pipeline"));
        assertTrue(health.body().contains("\"status\""), health.body());
        URI socket = URI.create("ws://127.0.0.1:" + hub.publicPort + prefix + "?reconnectionToken=" + UUID.randomUUID()
                + "&reconnection=false&skipWebSocketFrames=false");
        assertEquals(101, handshakeStatus(api, socket, "Bearer " + own));

        for (String refused : List.of(otherServer, alice)) {
            HttpResponse<String> answer = get(prefix + "healthz", "token " + refused);
            assertEquals(403, answer.statusCode(), answer.body());
            assertEquals(403, JSON.readTree(answer.body()).path("status").asInt());
            assertTrue(answer.headers().firstValue("Location").isEmpty());
            assertEquals(403, handshakeStatus(api, socket, "token " + refused));
        }
    }

    private static String token(String user, String scopes) throws Exception {
        HttpResponse<String> issued = call("POST", "/users/" + Names.path(user) + "/tokens", "{\"scopes\": " + scopes + "}");
        assertEquals(201, issued.statusCode(), issued.body());
        return JSON.readTree(issued.body()).path("token").asText();
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        return api.send(HttpRequest.newBuilder(URI.create(hub.publicUrl(path))).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a WebSocket handshake from a page of the hub's origin, as a browser sends it. */
    private static int handshakeStatus(HttpClient client, URI uri) throws Exception {
        return handshakeStatus(client, uri, null);
    }

    private static int handshakeStatus(HttpClient client, URI uri, String authorization) throws Exception {
        try {
            WebSocket.Builder builder = client.newWebSocketBuilder();
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            WebSocket socket = builder
                    .header("Origin", "http://127.0.0.1:" + hub.publicPort)
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, new WebSocket.Listener() { })
                    .get(30, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** The page's script and style sheet URLs on its own origin (code-server's own and VS Code's). */
    private static List<URI> assets(HttpResponse<String> page) {
        Set<URI> found = new LinkedHashSet<>();
        Matcher m = Pattern.compile("<(?:script[^>]*\\ssrc|link[^>]*\\shref)=\"([^\"]+)\"").matcher(page.body());
        while (m.find()) {
            URI uri = page.uri().resolve(m.group(1).replace("&amp;", "&"));
            if (uri.getAuthority() != null && uri.getAuthority().equals(page.uri().getAuthority())) {
                found.add(uri);
            }
        }
        return new ArrayList<>(found);
    }

    /** Starts the user's server with the code-server profile; returns its folder (the local spawner's). */
    private static Path startServer(String user, String server) throws Exception {
        String path = "/users/" + Names.path(user) + (server.isEmpty() ? "/server" : "/servers/" + Names.path(server));
        int started = call("POST", path, "{\"profile\": \"code\"}").statusCode();
        assertTrue(started == 201 || started == 202, "start answered " + started);
        String progress = call("GET", path + "/progress", null).body();
        assertTrue(progress.contains("\"ready\":true"), progress + "\n" + hub.logText() + "\n" + serverLog(user, server));
        JsonNode model = JSON.readTree(call("GET", "/users/" + Names.path(user), null).body()).path("servers").path(server);
        assertEquals(Names.prefix(user, server), model.path("url").asText());
        // The log's path is relative to the hub's folder.
        return hub.workDir.resolve(model.path("state").path("log").asText()).getParent();
    }

    private static String serverLog(String user, String server) throws Exception {
        JsonNode model = JSON.readTree(call("GET", "/users/" + Names.path(user), null).body()).path("servers").path(server);
        String log = model.path("state").path("log").asText("");
        return log.isEmpty() || !Files.exists(hub.workDir.resolve(log)) ? "(no server log)" : Files.readString(hub.workDir.resolve(log));
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + ADMIN).timeout(Duration.ofSeconds(120));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
