package io.ganymede.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real JupyterHub (Debian's 3.0, or 5.5 or 6.1 from PyPI, each on its own Python) with a dummy
 * authenticator and local single-user servers of the same release, configured to use the Ganymede
 * proxy in place of configurable-http-proxy; plus the helpers the tests share.
 */
final class ProxyJupyterHub implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("ganymede.root", "../..")).toAbsolutePath().normalize();
    static final Path LAUNCHER = ROOT.resolve("proxy/bin/ganymede-proxy");
    static final String PROXY_TOKEN = "proxy-token-e2e";
    static final String ADMIN_TOKEN = "admin-token-e2e";
    static final String PASSWORD = "e2e-password";
    static final ObjectMapper JSON = new ObjectMapper();

    final int publicPort;
    final int apiPort;
    final int hubPort = freePort();
    final Path workDir;
    final Path log;
    final Peers.JupyterHub release;
    private final CookieManager cookies = new CookieManager();
    final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;

    /** A hub that launches the proxy itself, as {@code ConfigurableHTTPProxy.command}. */
    ProxyJupyterHub(Peers.JupyterHub release) throws IOException {
        this(release, true, freePort(), freePort());
    }

    /** @param proxyStartedByHub false: the hub uses a proxy already listening on these ports */
    ProxyJupyterHub(Peers.JupyterHub release, boolean proxyStartedByHub, int publicPort, int apiPort) throws IOException {
        this.release = release.require();
        this.publicPort = publicPort;
        this.apiPort = apiPort;
        String python = release.python().toString();
        if (!Files.isExecutable(LAUNCHER)) {
            throw new IllegalStateException("proxy launcher missing: " + LAUNCHER);
        }
        workDir = Files.createTempDirectory("ganymede-proxy-e2e");
        log = workDir.resolve("jupyterhub.log");
        Files.createDirectories(workDir.resolve("home"));
        String config = String.join("\n",
                "c = get_config()",
                "c.JupyterHub.bind_url = 'http://127.0.0.1:" + publicPort + "'",
                "c.JupyterHub.hub_ip = '127.0.0.1'",
                "c.JupyterHub.hub_port = " + hubPort,
                "c.JupyterHub.db_url = 'sqlite:///" + workDir.resolve("jupyterhub.sqlite") + "'",
                "c.JupyterHub.cookie_secret_file = '" + workDir.resolve("cookie_secret") + "'",
                "c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:" + apiPort + "'",
                "c.ConfigurableHTTPProxy.auth_token = '" + PROXY_TOKEN + "'",
                "c.ConfigurableHTTPProxy.should_start = " + (proxyStartedByHub ? "True" : "False"),
                "c.ConfigurableHTTPProxy.command = ['" + LAUNCHER + "']",
                "c.ConfigurableHTTPProxy.pid_file = '" + workDir.resolve("proxy.pid") + "'",
                "c.JupyterHub.authenticator_class = 'jupyterhub.auth.DummyAuthenticator'",
                // Deprecated since 5.3 (for SharedPasswordAuthenticator, which 3.0 lacks) but kept
                // by 5.5 and 6.1: one configuration for every release.
                "c.DummyAuthenticator.password = '" + PASSWORD + "'",
                "c.JupyterHub.spawner_class = 'jupyterhub.spawner.SimpleLocalProcessSpawner'",
                "c.SimpleLocalProcessSpawner.home_dir_template = '" + workDir.resolve("home") + "/{username}'",
                "c.Spawner.cmd = ['" + python + "', '" + release.singleUser() + "']",
                "c.Spawner.args = ['--allow-root']",
                "c.Spawner.start_timeout = 90",
                "c.Spawner.http_timeout = 60",
                "c.JupyterHub.services = [{'name': 'e2e', 'api_token': '" + ADMIN_TOKEN + "'}]",
                "c.JupyterHub.load_roles = [{'name': 'e2e', 'services': ['e2e'], 'scopes': ['admin:users', 'admin:servers', 'tokens', 'list:users', 'read:users']}]",
                "");
        Files.writeString(workDir.resolve("jupyterhub_config.py"), config);
        ProcessBuilder builder = new ProcessBuilder(python, release.jupyterhub().toString(), "-f",
                workDir.resolve("jupyterhub_config.py").toString(), "--debug")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CONFIGPROXY_AUTH_TOKEN", PROXY_TOKEN);
        process = builder.start();
    }

    String publicUrl(String path) {
        return "http://127.0.0.1:" + publicPort + path;
    }

    /** Waits for the hub to answer through the proxy's public port. */
    void awaitUp(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("jupyterhub exited:\n" + logText());
            }
            try {
                if (send(get("/hub/api/")).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("hub not reachable through the proxy within " + timeout + ":\n" + logText());
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(publicUrl(path))).timeout(Duration.ofSeconds(30));
    }

    HttpRequest.Builder admin(String path) {
        return get("/hub/api" + path).header("Authorization", "token " + ADMIN_TOKEN);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Follows redirects by hand (the chain through OAuth is longer than the JDK allows), keeping cookies. */
    HttpResponse<String> browse(HttpRequest.Builder first) throws IOException, InterruptedException {
        HttpResponse<String> response = send(first);
        for (int hops = 0; hops < 20 && response.statusCode() / 100 == 3; hops++) {
            String location = response.headers().firstValue("Location").orElseThrow();
            response = send(HttpRequest.newBuilder(response.uri().resolve(location)).timeout(Duration.ofSeconds(30)));
        }
        return response;
    }

    /**
     * Signs {@code user} in with the login form, as a person does: the page first, for the
     * {@code _xsrf} cookie that JupyterHub 4.1 and later require back in the form.
     */
    HttpResponse<String> logIn(String user) throws IOException, InterruptedException {
        send(get("/hub/login"));
        String xsrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("_xsrf"))
                .map(java.net.HttpCookie::getValue).findFirst().orElse("");
        return send(get("/hub/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                        + "&password=" + PASSWORD + "&_xsrf=" + URLEncoder.encode(xsrf, StandardCharsets.UTF_8))));
    }

    /** Starts {@code user}'s server through the REST API and waits until the hub calls it ready. */
    void startServer(String user, Duration timeout) throws Exception {
        send(admin("/users/" + Names.path(user)).POST(HttpRequest.BodyPublishers.noBody()));
        int status = send(admin("/users/" + Names.path(user) + "/server").POST(HttpRequest.BodyPublishers.noBody())).statusCode();
        if (status != 201 && status != 202 && status != 400) {
            throw new IllegalStateException("starting server: " + status + "\n" + logText());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode model = JSON.readTree(send(admin("/users/" + Names.path(user))).body());
            JsonNode server = model.path("servers").path("");
            if (server.path("ready").asBoolean(false)) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(user + "'s server not ready within " + timeout + ":\n" + logText());
    }

    String userToken(String user) throws Exception {
        HttpResponse<String> r = send(admin("/users/" + Names.path(user) + "/tokens")
                .POST(HttpRequest.BodyPublishers.ofString("{\"note\": \"e2e\"}")));
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException("token: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("token").asText();
    }

    /** The proxy's routing table, read straight from its REST API. */
    JsonNode proxyRoutes() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/routes"))
                .header("Authorization", "token " + PROXY_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        // The hub stops its proxy and servers on SIGTERM; whatever it leaves behind (they run in
        // their own sessions) is killed here, so no stray process keeps a port after the test.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** Starts the standalone proxy, as an operator would for should_start = False. */
    static Process startProxy(int publicPort, int apiPort, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--ip", "127.0.0.1", "--port", String.valueOf(publicPort),
                "--api-ip", "127.0.0.1", "--api-port", String.valueOf(apiPort), "--log-level", "debug")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("CONFIGPROXY_AUTH_TOKEN", PROXY_TOKEN));
        Process proxy = builder.start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!proxy.isAlive()) {
                throw new IllegalStateException("proxy exited:\n" + Files.readString(log));
            }
            try {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + publicPort + "/_chp_healthz")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return proxy;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("proxy did not start:\n" + Files.readString(log));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
