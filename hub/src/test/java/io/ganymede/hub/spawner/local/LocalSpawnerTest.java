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
 * their pid files, whether its database records them or not; a pid the system has given to
 * another process since is never taken for a server.
 */
class LocalSpawnerTest {

    private static final String USER = "o'brien+test@example.com";
    private static final Duration WAIT = Duration.ofSeconds(15);

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
        files.write(USER, "", Map.of("pid", String.valueOf(other.pid()), "port", "1",
                "started", Instant.parse("2020-01-01T00:00:00Z").toString(), "log", "server.log"));
        // And a server whose process is gone.
        files.write("alice@example.com", "", Map.of("pid", String.valueOf(Integer.MAX_VALUE), "port", "2",
                "started", Instant.now().toString(), "log", "server.log"));

        LocalSpawner spawner = new LocalSpawner(config(root));
        assertEquals(List.of(), spawner.orphans(List.of()));
        assertTrue(other.isAlive());
        assertEquals(List.of(), pidFiles(), "files of processes gone are forgotten");
    }

    private List<Path> pidFiles() throws IOException {
        try (var files = Files.list(root.resolve(".pids"))) {
            return files.toList();
        }
    }

    private static SpawnRequest request(String user, String server) {
        return new SpawnRequest(user, server, Map.of("JUPYTERHUB_SERVICE_PREFIX", "/user/x/"), Map.of(), Map.of(), Map.of());
    }

    static LocalSpawnerConfig config(Path root) {
        return new LocalSpawnerConfig() {
            @Override
            public List<String> cmd() {
                return List.of("python3", Path.of("src/test/resources/fake-server.py").toAbsolutePath().toString());
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
