package io.ganymede.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built hub ({@code hub/target/ganymede-hub-runner.jar}) run as a separate process on free
 * loopback ports, with its embedded proxy, the way a user runs it from the README: by
 * {@code hub/bin/ganymede-hub}, with the launcher's JVM options and the build's AppCDS archive when
 * there is one (-DskipAppCds=true makes none).
 */
final class HubProcess implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("ganymede.root", "../..")).toAbsolutePath().normalize();

    final int publicPort;
    final int apiPort;
    final int hubPort;
    final Path workDir;
    final Path log;
    private final Process process;
    private static final HttpClient API = HttpClient.newHttpClient();

    HubProcess(Map<String, String> extraEnv) throws IOException {
        this(Files.createTempDirectory("ganymede-e2e"), freePort(), freePort(), freePort(), extraEnv);
    }

    /**
     * A hub given {@code yaml} as one more configuration file ({@code QUARKUS_CONFIG_LOCATIONS}), for
     * what environment variables write poorly: roles, lists of scopes.
     */
    static HubProcess withConfig(String yaml, Map<String, String> extraEnv) throws IOException {
        Path file = Files.createTempDirectory("ganymede-config").resolve("config.yaml");
        Files.writeString(file, yaml);
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("QUARKUS_CONFIG_LOCATIONS", file.toString());
        return new HubProcess(env);
    }

    /**
     * A hub whose proxy runs on its own ({@code GANYMEDE_PROXY_EMBEDDED=false} in {@code extraEnv}):
     * {@link #publicUrl} and the API URL the hub is given are that proxy's ports.
     */
    HubProcess(int proxyPublicPort, int proxyApiPort, int hubPort, Map<String, String> extraEnv) throws IOException {
        this(Files.createTempDirectory("ganymede-e2e"), proxyPublicPort, proxyApiPort, hubPort, extraEnv);
    }

    /** The hub started again after {@code previous} ended: same folder (database), same ports. */
    HubProcess(HubProcess previous, Map<String, String> extraEnv) throws IOException {
        this(previous.workDir, previous.publicPort, previous.apiPort, previous.hubPort, extraEnv);
    }

    private HubProcess(Path workDir, int publicPort, int apiPort, int hubPort, Map<String, String> extraEnv) throws IOException {
        this.workDir = workDir;
        this.publicPort = publicPort;
        this.apiPort = apiPort;
        this.hubPort = hubPort;
        Path jar = ROOT.resolve("hub/target/ganymede-hub-runner.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("hub not built: " + jar);
        }
        log = workDir.resolve("hub-" + System.nanoTime() + ".log");
        List<String> command = List.of(ROOT.resolve("hub/bin/ganymede-hub").toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(hubPort),
                "GANYMEDE_HUB_INTERNAL_URL", "http://127.0.0.1:" + hubPort,
                "GANYMEDE_PROXY_PUBLIC_PORT", String.valueOf(publicPort),
                "GANYMEDE_PROXY_API_PORT", String.valueOf(apiPort),
                "GANYMEDE_PROXY_API_URL", "http://127.0.0.1:" + apiPort,
                // The flows' named server "exp #1" needs escaping, as names made under JupyterHub 5
                // (z2jh 4.4) do; JupyterHub 6's rule, the default, would refuse to create it.
                "GANYMEDE_SPAWNER_NEW_SERVER_NAMES", "jupyterhub-5"));
        env.putAll(extraEnv);
        builder.environment().putAll(env);
        process = builder.start();
    }

    String publicUrl(String path) {
        return "http://127.0.0.1:" + publicPort + path;
    }

    String hubUrl(String path) {
        return "http://127.0.0.1:" + hubPort + path;
    }

    /** Calls the hub's REST API ({@code /hub/api} and {@code path}) through the proxy with {@code token}. */
    HttpResponse<String> api(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(60));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return API.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts {@code user}'s default server through the API and waits until its progress says it is ready. */
    void startServer(String token, String user) throws Exception {
        startServer(token, "/users/" + Names.path(user) + "/server", "{}");
    }

    /** Starts the server at {@code server} (its API path under /hub/api) with {@code options}, and waits until ready. */
    void startServer(String token, String server, String options) throws Exception {
        int started = api(token, "POST", server, options).statusCode();
        if (started != 201 && started != 202) {
            throw new AssertionError("start answered " + started + "\n" + logText());
        }
        String progress = api(token, "GET", server + "/progress", null).body();
        if (!progress.contains("\"ready\":true")) {
            throw new AssertionError("not ready: " + progress + "\n" + logText());
        }
    }

    /** Waits until {@code url} answers, returning how long it took; fails with the hub's log. */
    Duration awaitUp(String url, Duration timeout) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("hub exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() < 500) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("hub not up at " + url + " within " + timeout + ":\n" + Files.readString(log));
    }

    /** Kills the hub as the OOM killer or a failing node does: SIGKILL, no shutdown of any kind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * A port nothing listens on, below Linux's ephemeral range (32768-60999 by default): every
     * bind to port 0 (the single-user servers the hubs start) and every outgoing connection takes
     * its port from that range, so one picked there could be taken between the pick and the
     * hub's bind. Here only other picks of this JVM compete, and they count upwards.
     */
    static int freePort() {
        for (int tries = 0; tries < PORT_SPAN; tries++) {
            int port = FIRST_PORT + Math.floorMod(nextPort.getAndIncrement(), PORT_SPAN);
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORT_SPAN - 1));
    }

    private static final int FIRST_PORT = 20000;
    private static final int PORT_SPAN = 12000;
    /** Starts at a random point, so runs at the same time on one machine rarely pick alike. */
    private static final java.util.concurrent.atomic.AtomicInteger nextPort =
            new java.util.concurrent.atomic.AtomicInteger(new java.util.Random().nextInt(PORT_SPAN));
}
