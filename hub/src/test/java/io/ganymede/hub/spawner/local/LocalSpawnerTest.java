package io.ganymede.hub.spawner.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnRequest;
import io.ganymede.hub.spawner.SpawnResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub started again on the same root finds the server processes an earlier one started, by
 * their pid files, whether its database records them or not, and even when it was killed before
 * it learnt their pid; a pid the system has given to another process since is never taken for a
 * server.
 */
class LocalSpawnerTest {

    private static final String USER = "o'brien+test@example.com";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String FAKE_SERVER = Path.of("src/test/resources/fake-server.py").toAbsolutePath().toString();

    @TempDir
    Path root;

    private Long started;

    @AfterEach
    void killLeftovers() {
        if (started != null) {
            ProcessHandle.of(started).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aRestartedHubFindsTheProcessesItsPredecessorStarted() throws Exception {
        SpawnResult result = new LocalSpawner(config(root)).start(request(USER, "exp #1"), event -> {})
                .await().atMost(WAIT);
        started = Long.parseLong(result.state().get("pid"));
        assertFalse(result.state().get("started").isEmpty(), result.state().toString());

        // The hub that started it is gone; a new one looks at the same root.
        LocalSpawner restarted = new LocalSpawner(config(root));
        ServerHandle found = new ServerHandle(USER, "exp #1", result.state());
        assertEquals(List.of(found), restarted.orphans(List.of()));
        assertEquals(List.of(), restarted.orphans(List.of(found)), "recorded: no orphan");
        assertEquals(Optional.of(result), restarted.adopt(found));

        restarted.stop(found).await().atMost(WAIT);
        assertFalse(ProcessHandle.of(started).map(ProcessHandle::isAlive).orElse(false), "stopped");
        assertEquals(List.of(), restarted.orphans(List.of()));
        assertEquals(List.of(), pidFiles());
    }

    @Test
    void aReusedPidIsNeverTakenForAServer() throws Exception {
        PidFiles files = new PidFiles(root);
        // A server's pid now belongs to another process (here: this JVM), started at another time.
        ProcessHandle other = ProcessHandle.current();
        files.started(USER, "", Map.of("pid", String.valueOf(other.pid()), "port", "1",
                "started", Instant.parse("2020-01-01T00:00:00Z").toString(), "log", "server.log"));
        // And a server whose process is gone.
        files.started("alice@example.com", "", Map.of("pid", String.valueOf(Integer.MAX_VALUE), "port", "2",
                "started", Instant.now().toString(), "log", "server.log"));

        LocalSpawner spawner = new LocalSpawner(config(root));
        assertEquals(List.of(), spawner.orphans(List.of()));
        assertTrue(other.isAlive());
        assertEquals(List.of(), pidFiles(), "files of processes gone are forgotten");
    }

    @Test
    void aProcessWhoseHubDiedBeforeLearningItsPidIsFound() throws Exception {
        PidFiles files = new PidFiles(root);
        String port = String.valueOf(freePort());
        files.starting(USER, "exp #1", Map.of("port", port, "log", root.resolve("server.log").toString()));
        // The process the spawner runs; its hub is killed before it learns the pid.
        Process process = new ProcessBuilder("/bin/sh", "-c", LocalSpawner.RECORD_PID_THEN_RUN, files.file(port).toString(),
                "python3", FAKE_SERVER, "--port=" + port).start();
        started = process.pid();

        LocalSpawner restarted = new LocalSpawner(config(root));
        long until = System.nanoTime() + WAIT.toNanos();
        List<ServerHandle> found = restarted.orphans(List.of());
        while (found.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50);
            found = restarted.orphans(List.of());
        }
        assertEquals(1, found.size(), "found " + found);
        ServerHandle server = found.get(0);
        assertEquals(USER, server.user());
        assertEquals("exp #1", server.serverName());
        assertEquals(String.valueOf(process.pid()), server.state().get("pid"));
        assertEquals(process.info().startInstant().orElseThrow().toString(), server.state().get("started"));
        assertEquals(found, restarted.orphans(List.of()), "its file is complete now");
        assertEquals("http://127.0.0.1:" + port, restarted.adopt(server).orElseThrow().url());
        restarted.stop(server).await().atMost(WAIT);
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aCodeServerProfileRunsCodeServerServedAtItsRootEvenAfterARestart() throws Exception {
        SpawnRequest request = new SpawnRequest(USER, "", Map.of("JUPYTERHUB_SERVICE_PREFIX", "/user/x/"), Map.of(),
                Map.of("app", "code-server"), Map.of());
        SpawnResult result = new LocalSpawner(config(root)).start(request, event -> {}).await().atMost(WAIT);
        started = Long.parseLong(result.state().get("pid"));
        Path args = root.resolve("o%27brien%2btest%40example.com/args");
        long until = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(args) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        String port = result.state().get("port");
        assertEquals(List.of("--bind-addr", "127.0.0.1:" + port, "--auth", "none"), Files.readAllLines(args));
        assertEquals(Map.of("strip_prefix", true), result.routeData(), "the proxy strips the prefix");

        LocalSpawner restarted = new LocalSpawner(config(root));
        ServerHandle found = new ServerHandle(USER, "", result.state());
        assertEquals(Map.of("strip_prefix", true), restarted.adopt(found).orElseThrow().routeData(), "adopted as code-server");
        restarted.stop(found).await().atMost(WAIT);
    }

    @Test
    void anRStudioProfileIsRefusedRatherThanRunAsJupyter() throws Exception {
        SpawnRequest request = new SpawnRequest(USER, "", Map.of(), Map.of(), Map.of("app", "rstudio"), Map.of());
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new LocalSpawner(config(root)).start(request, event -> {}).await().atMost(WAIT));
        assertTrue(refused.getMessage().contains("not RStudio"), refused.getMessage());
        assertEquals(List.of(), pidFilesIfAny(), "nothing started");
    }

    @Test
    void aProcessAboutToStartIsGivenTime() throws Exception {
        PidFiles files = new PidFiles(root);
        files.starting(USER, "", Map.of("port", "3", "log", "server.log"));
        assertEquals(List.of(), new LocalSpawner(config(root)).orphans(List.of()));
        assertEquals(1, pidFiles().size(), "kept while its process may still add its pid");
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private List<Path> pidFiles() throws IOException {
        try (var files = Files.list(root.resolve(".pids"))) {
            return files.toList();
        }
    }

    private List<Path> pidFilesIfAny() throws IOException {
        return Files.isDirectory(root.resolve(".pids")) ? pidFiles() : List.of();
    }

    private static SpawnRequest request(String user, String server) {
        return new SpawnRequest(user, server, Map.of("JUPYTERHUB_SERVICE_PREFIX", "/user/x/"), Map.of(), Map.of(), Map.of());
    }

    static LocalSpawnerConfig config(Path root) {
        return new LocalSpawnerConfig() {
            @Override
            public List<String> cmd() {
                return List.of("python3", FAKE_SERVER);
            }

            @Override
            public List<String> codeServerCmd() {
                // Stands in for code-server: writes the arguments it was given, one a line, then waits.
                return List.of("/bin/sh", "-c", "printf '%s\\n' \"$@\" > args; exec sleep 60", "code-server");
            }

            @Override
            public Optional<List<String>> args() {
                return Optional.empty();
            }

            @Override
            public String root() {
                return root.toString();
            }

            @Override
            public List<String> envKeep() {
                return List.of("PATH");
            }

            @Override
            public Duration stopGrace() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
