package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.Test;

/**
 * JupyterHub's services contract with JupyterHub's own service: {@code whoami-oauth.py} from
 * JupyterHub 6.1.1's examples, run unchanged on the 6.1 virtualenv's Python as an external
 * service (configured the way z2jh's {@code hub.services} is, with the environment an admin gives
 * such a service). People reach it at {@code /services/whoami-oauth/} through Ganymede's proxy and
 * log in through the hub's OAuth ({@code jupyterhub.services.auth.HubOAuth}, with PKCE); only those
 * a role gives {@code access:services!service=whoami-oauth} get in. An app without a login of its
 * own ({@code login-at-proxy}, a static site here) is reached only with the access cookie the hub
 * gives the same people, or by a pipeline with an API token holding access to it (the proxy asks
 * the hub's {@code /hub/api/routes/access}). A service's token, set up as z2jh sets up jupyterhub-idle-culler, calls
 * the API with its role's scopes, and the real jupyterhub-idle-culler 2.0.0 culls an idle
 * JupyterHub 6.1 server with it.
 */
class ServicesTest {

    private static final String ADMIN_TOKEN = "e2e-services-admin-token";
    private static final String WHOAMI_TOKEN = "e2e-whoami-oauth-service-token-" + System.nanoTime();
    private static final String CULLER_TOKEN = "e2e-culler-service-token-" + System.nanoTime();
    private static final String SERVICE = "/services/whoami-oauth/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String BOARD = "/services/board/";
    /** Owner of a pipeline's token: a person the board-users role names, with a name that needs escaping. */
    private static final String PIPELINE_OWNER = "o'hara+pipeline@example.com";
    private static final String JOBS = "{\"jobs\": [{\"id\": \"raysubmit_1\", \"status\": \"SUCCEEDED\"}]}";

    private static HubProcess hub;
    private static Process whoami;
    private static Process board;
    private static Path whoamiLog;
    private final HttpClient api = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        int servicePort = HubProcess.freePort();
        int boardPort = HubProcess.freePort();
        Path dir = Files.createTempDirectory("ganymede-services");
        String config = """
                ganymede:
                  services:
                    whoami-oauth:
                      url: http://127.0.0.1:%d
                      api-token: %s
                      info:
                        description: JupyterHub's whoami-oauth example
                    idle-culler:
                      api-token: %s
                    board:
                      url: http://127.0.0.1:%d
                      login-at-proxy: true
                  auth:
                    roles:
                      - name: whoami-users
                        scopes: ["access:services!service=whoami-oauth"]
                        groups: [data-science]
                      - name: board-users
                        scopes: ["access:services!service=board"]
                        groups: [data-science]
                        users: ["%s"]
                      - name: idle-culler
                        scopes: [list:users, read:users:activity, read:servers, delete:servers]
                        services: [idle-culler]
                """.formatted(servicePort, WHOAMI_TOKEN, CULLER_TOKEN, boardPort, PIPELINE_OWNER);
        hub = HubProcess.withConfig(config, Map.of("GANYMEDE_ADMIN_TOKEN", ADMIN_TOKEN,
                // Servers the real idle culler stops, with the hub's own culler off.
                "GANYMEDE_SPAWNER_LOCAL_CMD", Peers.JupyterHub.V6_1.require().singleUser().toString(),
                "GANYMEDE_CULLER_ENABLED", "false"));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));

        Path script = Peers.jupyterHubExamples().resolve("service-whoami/whoami-oauth.py");
        whoamiLog = dir.resolve("whoami-oauth.log");
        ProcessBuilder builder = new ProcessBuilder(Peers.JupyterHub.V6_1.require().python().toString(), script.toString())
                .redirectErrorStream(true).redirectOutput(whoamiLog.toFile());
        // What JupyterHub gives a service it runs (services/service.py, spawner.py get_env), given
        // by hand to an external one.
        builder.environment().putAll(Map.of(
                "JUPYTERHUB_SERVICE_NAME", "whoami-oauth",
                "JUPYTERHUB_API_TOKEN", WHOAMI_TOKEN,
                "JUPYTERHUB_CLIENT_ID", "service-whoami-oauth",
                "JUPYTERHUB_API_URL", hub.hubUrl("/hub/api"),
                "JUPYTERHUB_BASE_URL", "/",
                "JUPYTERHUB_SERVICE_PREFIX", SERVICE,
                "JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:" + servicePort,
                "JUPYTERHUB_OAUTH_CALLBACK_URL", SERVICE + "oauth_callback"));
        whoami = builder.start();
        awaitService(whoami, "http://127.0.0.1:" + servicePort + SERVICE);

        // An app with no login of its own: a static page served by Python's http.server, under its prefix.
        Path site = dir.resolve("site");
        Files.createDirectories(site.resolve(BOARD.substring(1)));
        Files.writeString(site.resolve(BOARD.substring(1)).resolve("index.html"), "<h1>Team board</h1>");
        // What a pipeline asks for, as it would ask a Ray cluster's job API.
        Files.createDirectories(site.resolve(BOARD.substring(1)).resolve("api"));
        Files.writeString(site.resolve(BOARD.substring(1)).resolve("api/jobs.json"), JOBS);
        board = new ProcessBuilder(Peers.JupyterHub.V6_1.python().toString(), "-m", "http.server", "--bind", "127.0.0.1",
                String.valueOf(boardPort), "--directory", site.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("board.log").toFile()).start();
        awaitService(board, "http://127.0.0.1:" + boardPort + BOARD);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process service : new Process[] {whoami, board}) {
            if (service != null) {
                service.destroy();
                service.waitFor();
            }
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aTeamMemberSeesTheirIdentityAndOthersAreRefused() throws Exception {
        // Either test may come first: users and the group are made once.
        call(ADMIN_TOKEN, "POST", "/users/" + Names.path(Names.ALICE), null);
        call(ADMIN_TOKEN, "POST", "/users/" + Names.path(Names.OBRIEN), null);
        call(ADMIN_TOKEN, "POST", "/groups/data-science", null);
        assertEquals(200, call(ADMIN_TOKEN, "POST", "/groups/data-science/users",
                "{\"users\": [\"" + Names.ALICE + "\"]}").statusCode());
        // The proxy serves the service at its prefix.
        Map<String, Object> routes = JSON.readValue(call(ADMIN_TOKEN, "GET", "/proxy", null).body(), Map.class);
        assertTrue(routes.containsKey("/services/whoami-oauth"), routes.toString());

        // Alice, in data-science: the service sends her to the hub's OAuth, the hub to its login,
        // and back through the service's callback to the page, which shows who the hub says she is.
        Browser alice = new Browser();
        HttpResponse<String> login = alice.open(hub.publicUrl(SERVICE));
        assertEquals("/hub/login", login.uri().getPath(), login.uri() + " " + login.body());
        HttpResponse<String> page = alice.signIn(login, Names.ALICE);
        assertEquals(200, page.statusCode(), page.uri() + " " + page.body() + "\n" + log());
        assertEquals(SERVICE, page.uri().getPath());
        Map<String, Object> identity = JSON.readValue(page.body(), Map.class);
        assertEquals(Names.ALICE, identity.get("name"));
        assertEquals("user", identity.get("kind"));
        assertEquals(List.of("data-science"), identity.get("groups"), identity.toString());
        List<String> scopes = (List<String>) identity.get("scopes");
        assertTrue(scopes.contains("access:services!service=whoami-oauth"), scopes.toString());
        assertFalse(scopes.stream().anyMatch(s -> s.startsWith("servers")), "the login token carries no more: " + scopes);
        // The service's cookie keeps her in without the hub.
        assertEquals(200, alice.open(hub.publicUrl(SERVICE)).statusCode());
        // Her pages link the services she may open.
        String home = alice.open(hub.publicUrl("/hub/home")).body();
        assertTrue(home.contains("href=\"/services/whoami-oauth/\"") && home.contains("href=\"/services/board/\""), home);

        // O'Brien is signed in to the hub but not in the group: refused at the OAuth step.
        Browser obrien = new Browser();
        HttpResponse<String> refused = obrien.signIn(obrien.open(hub.publicUrl(SERVICE)), Names.OBRIEN);
        assertEquals(403, refused.statusCode(), refused.uri() + " " + refused.body());
        assertEquals("/hub/api/oauth2/authorize", refused.uri().getPath());
        assertTrue(refused.body().contains("not allowed to access service whoami-oauth"), refused.body());
    }

    @Test
    void anAppWithoutALoginIsReachedOnlyWithTheHubsAccessCookie() throws Exception {
        call(ADMIN_TOKEN, "POST", "/users/" + Names.path(Names.ALICE), null);
        call(ADMIN_TOKEN, "POST", "/users/" + Names.path(Names.OBRIEN), null);
        call(ADMIN_TOKEN, "POST", "/groups/data-science", null);
        call(ADMIN_TOKEN, "POST", "/groups/data-science/users", "{\"users\": [\"" + Names.ALICE + "\"]}");

        // Without the cookie the proxy sends a browser to the hub, never to the app.
        HttpResponse<String> stranger = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(hub.publicUrl(BOARD))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, stranger.statusCode());
        assertTrue(stranger.headers().firstValue("Location").orElseThrow().startsWith("/hub/open-service/board?next="),
                stranger.headers().toString());

        Browser alice = new Browser();
        HttpResponse<String> page = alice.signIn(alice.open(hub.publicUrl(BOARD)), Names.ALICE);
        assertEquals(200, page.statusCode(), page.uri() + " " + page.body());
        assertEquals(BOARD, page.uri().getPath());
        assertTrue(page.body().contains("Team board"), page.body());

        Browser obrien = new Browser();
        HttpResponse<String> refused = obrien.signIn(obrien.open(hub.publicUrl(BOARD)), Names.OBRIEN);
        assertEquals(403, refused.statusCode(), refused.uri() + " " + refused.body());
        assertEquals("/hub/open-service/board", refused.uri().getPath());
    }

    /**
     * A pipeline inside the VPC (through the internal load balancer, which fronts the same proxy)
     * reaches the app without a login with an API token holding
     * {@code access:services!service=board}: the proxy asks the hub, and passes the request on.
     */
    @Test
    void aPipelineReachesTheAppWithAnApiTokenHoldingAccessToIt() throws Exception {
        call(ADMIN_TOKEN, "POST", "/users/" + Names.path(PIPELINE_OWNER), null);
        call(ADMIN_TOKEN, "POST", "/users/" + Names.path(Names.OBRIEN), null);
        Map<String, Object> issued = JSON.readValue(call(ADMIN_TOKEN, "POST", "/users/" + Names.path(PIPELINE_OWNER) + "/tokens",
                "{\"scopes\": [\"access:services!service=board\"], \"note\": \"nightly pipeline\"}").body(), Map.class);
        String token = (String) issued.get("token");
        String narrow = (String) JSON.readValue(call(ADMIN_TOKEN, "POST", "/users/" + Names.path(PIPELINE_OWNER) + "/tokens",
                "{\"scopes\": [\"read:users!user\"]}").body(), Map.class).get("token");
        String obrien = (String) JSON.readValue(call(ADMIN_TOKEN, "POST", "/users/" + Names.path(Names.OBRIEN) + "/tokens", "{}")
                .body(), Map.class).get("token");

        HttpResponse<String> jobs = app(BOARD + "api/jobs.json", "token " + token);
        assertEquals(200, jobs.statusCode(), jobs.body() + "\n" + hub.logText());
        assertEquals(JOBS, jobs.body());
        assertEquals(200, app(BOARD + "api/jobs.json", "Bearer " + token).statusCode());

        // A token without the scope, and another person's, get JupyterHub's JSON error; never the login page.
        for (String refused : List.of(narrow, obrien)) {
            HttpResponse<String> answer = app(BOARD + "api/jobs.json", "token " + refused);
            assertEquals(403, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("Location").isEmpty(), answer.headers().toString());
            Map<String, Object> error = JSON.readValue(answer.body(), Map.class);
            assertEquals(403, error.get("status"));
            assertTrue(String.valueOf(error.get("message")).contains("access:services!service=board"), error.toString());
        }
        // A browser without any credential is still sent to the hub for the access cookie.
        HttpResponse<String> browser = app(BOARD, null);
        assertEquals(302, browser.statusCode());
        assertTrue(browser.headers().firstValue("Location").orElseThrow().startsWith("/hub/open-service/board?next="));

        // Revoked, the token stops working once the proxy's few seconds of memory have passed.
        assertEquals(204, call(ADMIN_TOKEN, "DELETE", "/users/" + Names.path(PIPELINE_OWNER) + "/tokens/" + issued.get("id"), null)
                .statusCode());
        Thread.sleep(5_500);
        assertEquals(403, app(BOARD + "api/jobs.json", "token " + token).statusCode());
        // The token never reaches the log.
        assertFalse(hub.logText().contains(token), "a token in the hub's log");
    }

    private HttpResponse<String> app(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl(path))).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aServiceTokenCallsTheApiWithItsRolesScopes() throws Exception {
        HttpResponse<String> me = call(CULLER_TOKEN, "GET", "/user", null);
        assertEquals(200, me.statusCode(), me.body());
        Map<String, Object> model = JSON.readValue(me.body(), Map.class);
        assertEquals("service", model.get("kind"));
        assertEquals("idle-culler", model.get("name"));
        assertTrue(((List<String>) model.get("scopes")).containsAll(List.of("list:users", "read:servers", "delete:servers")),
                model.toString());
        // What jupyterhub-idle-culler asks: the ready servers, page by page.
        HttpResponse<String> ready = api.send(HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api/users?state=ready")))
                .header("Authorization", "token " + CULLER_TOKEN)
                .header("Accept", "application/jupyterhub-pagination+json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"_pagination\""), ready.body());
        // Nothing beyond its role.
        assertEquals(403, call(CULLER_TOKEN, "POST", "/users/" + Names.path("intruder@example.com"), null).statusCode());
        assertEquals(403, call(CULLER_TOKEN, "GET", "/services", null).statusCode());
        assertEquals(403, call("not-a-token-at-all", "GET", "/user", null).statusCode());
    }

    /**
     * The real jupyterhub-idle-culler 2.0.0, configured as z2jh runs it (a service whose token has
     * the idle-culler role, not admin), stops an idle server through the API.
     */
    @Test
    void theIdleCullerCullsWithItsServiceToken() throws Exception {
        String user = Names.path(Names.OBRIEN);
        call(ADMIN_TOKEN, "POST", "/users/" + user, null);
        hub.startServer(ADMIN_TOKEN, Names.OBRIEN);

        Path log = hub.workDir.resolve("idle-culler.log");
        List<String> command = new java.util.ArrayList<>(Peers.IdleCuller.V2_0_0.command());
        command.addAll(List.of("--url=" + hub.hubUrl("/hub/api"), "--timeout=10", "--cull-every=3", "--api-page-size=1"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JUPYTERHUB_API_TOKEN", CULLER_TOKEN);
        Process culler = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Map<String, Object> model;
            do {
                Thread.sleep(1000);
                assertTrue(culler.isAlive(), "the culler exited:\n" + Files.readString(log));
                model = JSON.readValue(call(ADMIN_TOKEN, "GET", "/users/" + user, null).body(), Map.class);
            } while (!((Map<?, ?>) model.get("servers")).isEmpty() && System.nanoTime() < deadline);
            String cullerLog = Files.readString(log);
            assertEquals(Map.of(), model.get("servers"), "not culled: " + model + "\n" + cullerLog + "\n" + hub.logText());
            assertTrue(cullerLog.contains("Culling server " + Names.OBRIEN), cullerLog);
        } finally {
            culler.destroy();
            culler.waitFor();
        }
    }

    private static void awaitService(Process service, String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException(url + ": its process exited:\n" + log());
            }
            try {
                client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("not up at " + url + ":\n" + log());
    }

    private static String log() throws Exception {
        return "--- whoami-oauth:\n" + Files.readString(whoamiLog);
    }

    private HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        return hub.api(token, method, path, body);
    }
}
