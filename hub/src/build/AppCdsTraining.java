import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes the hub's AppCDS archive from real starts, run by the build after Quarkus has packaged the
 * hub ({@code java hub/src/build/AppCdsTraining.java <hub jar> <archive> <work folder>}).
 *
 * <p>An archive made when the hub's classes are merely initialized (Quarkus' own AppCDS step)
 * misses the ~9,000 classes a start loads after that: the database, Flyway, Hibernate's queries,
 * the HTTP stack, the embedded proxy and the pages. So the hub is started here for real, twice, on
 * a fresh H2 database in the work folder and free loopback ports: the first start creates the
 * schema, the second, as every later start of a user's hub does, finds it. The second runs with
 * {@code -XX:ArchiveClassesAtExit}, answers the requests a hub's first minutes bring, and is shut
 * down through {@code POST /hub/api/shutdown}, at whose exit the JVM writes the archive.
 *
 * <p>Of a custom class loader's classes, as Quarkus' fast-jar has, JDK 17 archives only those
 * linked by the dump, a third fewer; hence the hub's legacy-jar packaging, whose classes the JVM's
 * own loader has (see hub/pom.xml).
 *
 * <p>Exits with 1 and a message when a start fails; the build goes on without an archive, which
 * only makes starts slower.
 */
public final class AppCdsTraining {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path jar;
    private final Path work;
    private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private AppCdsTraining(Path jar, Path work) {
        this.jar = jar;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: AppCdsTraining <hub jar> <archive to write> <work folder>");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path archive = Path.of(args[1]).toAbsolutePath();
        Path work = Path.of(args[2]).toAbsolutePath();
        Files.deleteIfExists(archive);
        deleteTree(work);
        Files.createDirectories(work);
        AppCdsTraining training = new AppCdsTraining(jar, work);
        try {
            training.run(List.of(), false);
            training.run(List.of("-XX:ArchiveClassesAtExit=" + archive), true);
        } catch (IOException | IllegalStateException e) {
            System.err.println("app-cds: no archive, the hub will start without one: " + e.getMessage());
            System.exit(1);
        }
        if (!Files.isRegularFile(archive)) {
            System.err.println("app-cds: the JVM wrote no archive; see " + work.resolve("hub.log"));
            System.exit(1);
        }
        System.out.println("app-cds: " + archive + " (" + Files.size(archive) / (1024 * 1024) + " MiB)");
    }

    /** One start of the hub, from first answer to exit; {@code exercise} sends a first session's requests. */
    private void run(List<String> jvmOptions, boolean exercise) throws IOException, InterruptedException {
        int hubPort = freePort();
        String hub = "http://127.0.0.1:" + hubPort;
        int publicPort = freePort();
        int apiPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("hub.log").toFile()));
        builder.environment().putAll(Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(hubPort),
                "GANYMEDE_HUB_INTERNAL_URL", hub,
                "GANYMEDE_PROXY_PUBLIC_PORT", String.valueOf(publicPort),
                "GANYMEDE_PROXY_API_PORT", String.valueOf(apiPort),
                "GANYMEDE_PROXY_API_URL", "http://127.0.0.1:" + apiPort,
                "GANYMEDE_ADMIN_TOKEN", token));
        Process process = builder.start();
        try {
            awaitAnswer(process, hub + "/hub/api/");
            if (exercise) {
                exercise(hub + "/hub/api", "http://127.0.0.1:" + publicPort);
            }
            send("POST", hub + "/hub/api/shutdown", "{}");
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the hub did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
            }
        } finally {
            process.destroyForcibly();
        }
    }

    /** What a hub serves first: the API as JupyterHub's clients use it, and the sign-in page. */
    private void exercise(String api, String publicUrl) throws IOException, InterruptedException {
        send("GET", api + "/info", null);
        send("POST", api + "/users", "{\"usernames\": [\"cds-a\", \"cds-b\"]}");
        send("POST", api + "/groups/cds", "{\"users\": [\"cds-a\"]}");
        send("GET", api + "/users?offset=0&limit=200", null);
        send("GET", api + "/users/cds-a", null);
        send("POST", api + "/users/cds-a/activity", "{\"last_activity\": \"" + Instant.now() + "\"}");
        send("POST", api + "/users/cds-a/tokens", "{\"note\": \"training\", \"expires_in\": 60}");
        send("GET", api + "/groups", null);
        send("GET", api + "/proxy", null);
        send("GET", publicUrl + "/hub/login", null);
    }

    private void awaitAnswer(Process process, String url) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited with " + process.exitValue() + " before answering; see " + work.resolve("hub.log"));
            }
            try {
                if (send("GET", url, null) < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no answer from " + url + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private int send(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "token " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IOException(method + " " + url + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
