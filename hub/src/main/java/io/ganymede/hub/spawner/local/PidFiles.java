package io.ganymede.hub.spawner.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A file per server process the local spawner starts, {@code <root>/.pids/<port>}: whose server
 * it is, and the state {@link LocalSpawner#start} returned (pid, process start time, port, log).
 * The hub writes it before the process starts (port, log, {@code requested}: the time), the
 * process itself adds its pid before it runs the server, and the hub completes it with the start
 * time: a hub killed at any moment leaves no server process that no file names. The files
 * outlive the hub: one that starts again finds the processes an earlier one started, recorded
 * in the database or not. Ports are unique among live servers; server folders never start with
 * a dot, so {@code .pids} is no user's.
 */
final class PidFiles {

    private static final String USER = "user";
    private static final String SERVER = "server";
    private static final String REQUESTED = "requested";

    /**
     * What one file says.
     *
     * @param state the server's state; without {@code pid} before the process ran, without
     *     {@code started} while the hub had not yet completed it
     * @param requested when the process was about to start
     * @param modified when the file was last written (by the process itself, if the hub did not complete it)
     */
    record Entry(String user, String serverName, Map<String, String> state, Instant requested, Instant modified) {}

    private final Path dir;

    PidFiles(Path root) {
        this.dir = root.resolve(".pids");
    }

    /** Records a process about to start: its server, port and log, and now. */
    void starting(String user, String serverName, Map<String, String> state) throws IOException {
        Map<String, String> file = new LinkedHashMap<>(state);
        file.put(REQUESTED, Instant.now().toString());
        write(user, serverName, file);
    }

    /** Records a process that runs, with its pid and start time. */
    void started(String user, String serverName, Map<String, String> state) throws IOException {
        write(user, serverName, state);
    }

    /** Where the process on {@code port} adds its pid. */
    Path file(String port) {
        return dir.resolve(port).toAbsolutePath();
    }

    private void write(String user, String serverName, Map<String, String> values) throws IOException {
        Files.createDirectories(dir);
        Properties file = new Properties();
        file.putAll(values);
        file.setProperty(USER, user);
        file.setProperty(SERVER, serverName);
        Path part = Files.createTempFile(dir, "new-", ".part");
        try (Writer out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            file.store(out, "a server process started by the Ganymede hub");
        }
        Files.move(part, dir.resolve(values.get("port")), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every process recorded, alive or not; unreadable files are skipped. */
    List<Entry> read() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                if (name.matches("[0-9]+")) {
                    read(f).ifPresent(entries::add);
                } else if (name.endsWith(".part")) {
                    forgetIfStale(f);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir, e);
        }
        return entries;
    }

    /**
     * Forgets a process, unless its port now belongs to another one: the file must name the same
     * pid and start time, or no pid at all (a start that never ran).
     */
    void remove(Map<String, String> state) {
        String port = state.get("port");
        if (port == null) {
            return;
        }
        Path file = dir.resolve(port);
        read(file).filter(e -> !e.state().containsKey("pid") || (e.state().get("pid").equals(state.get("pid"))
                        && e.state().getOrDefault("started", "").equals(state.getOrDefault("started", ""))))
                .ifPresent(e -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // Stale files are skipped once their process is gone, and removed at the next look.
                    }
                });
    }

    /** A file being written when its hub was killed. */
    private static void forgetIfStale(Path part) {
        try {
            if (Files.getLastModifiedTime(part).toInstant().isBefore(Instant.now().minus(Duration.ofMinutes(1)))) {
                Files.deleteIfExists(part);
            }
        } catch (IOException ignored) {
            // Gone already, or tried again at the next look.
        }
    }

    private static Optional<Entry> read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException goneOrUnreadable) {
            return Optional.empty();
        }
        String user = props.getProperty(USER);
        if (user == null || props.getProperty("port") == null) {
            return Optional.empty();
        }
        Map<String, String> state = new LinkedHashMap<>();
        props.stringPropertyNames().stream().sorted()
                .filter(k -> !k.equals(USER) && !k.equals(SERVER) && !k.equals(REQUESTED))
                .forEach(k -> state.put(k, props.getProperty(k)));
        Instant requested;
        Instant modified;
        try {
            requested = Instant.parse(props.getProperty(REQUESTED, Instant.EPOCH.toString()));
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        return Optional.of(new Entry(user, props.getProperty(SERVER, ""), state, requested, modified));
    }
}
