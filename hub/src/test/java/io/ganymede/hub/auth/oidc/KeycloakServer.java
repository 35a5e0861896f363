package io.ganymede.hub.auth.oidc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Keycloak from the unpacked distribution ({@code keycloak.dist.home}, set by the
 * hub's pom), started in dev mode on a free loopback port with a realm imported from test resources.
 */
final class KeycloakServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final Process process;
    private final int port;
    private final Path log;

    private KeycloakServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static KeycloakServer start(Path realmJson) throws IOException, InterruptedException {
        String homeProperty = System.getProperty("keycloak.dist.home");
        if (homeProperty == null) {
            throw new IllegalStateException("keycloak.dist.home is not set; run through Maven");
        }
        Path home = Path.of(homeProperty);
        Path script = home.resolve("bin/kc.sh");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("no Keycloak at " + home + " (is it unpacked by the pom?)");
        }
        Path imports = Files.createDirectories(home.resolve("data/import"));
        Files.copy(realmJson, imports.resolve(realmJson.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        int port = freeLoopbackPort();
        Path log = home.resolveSibling("keycloak-test.log");
        Process process = new ProcessBuilder(List.of(script.toString(), "start-dev",
                        "--http-host=127.0.0.1", "--http-port=" + port, "--import-realm"))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        KeycloakServer server = new KeycloakServer(process, port, log);
        try {
            server.awaitRealm("ganymede");
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String issuer(String realm) {
        return "http://127.0.0.1:" + port + "/realms/" + realm;
    }

    private void awaitRealm(String realm) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI discovery = URI.create(issuer(realm) + "/.well-known/openid-configuration");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited: " + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Keycloak did not start within " + START_TIMEOUT + ": " + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        // kc.sh may leave the server JVM as its child: stop exactly the processes this test started.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
