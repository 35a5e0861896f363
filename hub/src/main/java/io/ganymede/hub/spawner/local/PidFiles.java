package io.ganymede.hub.spawner.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A file per server process the local spawner started, {@code <root>/.pids/<pid>}: whose server
 * it is, and the state {@link LocalSpawner#start} returned (pid, process start time, port, log).
 * They outlive the hub, so a hub that starts again finds the processes an earlier one started,
 * recorded in the database or not (a start cut short by a killed hub, a lost database). Server
 * folders never start with a dot, so {@code .pids} is no user's.
 */
final class PidFiles {

    private static final String USER = "user";
    private static final String SERVER = "server";

    /** What one file says. */
    record Entry(String user, String serverName, Map<String, String> state) {}

    private final Path dir;

    PidFiles(Path root) {
        this.dir = root.resolve(".pids");
    }

    /** Records a started process; written whole or not at all. */
    void write(String user, String serverName, Map<String, String> state) throws IOException {
        Files.createDirectories(dir);
        Properties file = new Properties();
        file.putAll(state);
        file.setProperty(USER, user);
        file.setProperty(SERVER, serverName);
        Path part = Files.createTempFile(dir, "new-", ".part");
        try (Writer out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            file.store(out, "a server process started by the Ganymede hub");
        }
        Files.move(part, dir.resolve(state.get("pid")), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every process recorded, alive or not; unreadable files are skipped. */
    List<Entry> read() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().matches("[0-9]+"))
                    .forEach(f -> read(f).ifPresent(entries::add));
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir, e);
        }
        return entries;
    }

    /** Forgets a process, unless its pid now belongs to a newer one (the start time tells). */
    void remove(Map<String, String> state) {
        String pid = state.get("pid");
        if (pid == null) {
            return;
        }
        Path file = dir.resolve(pid);
        read(file).filter(e -> e.state().getOrDefault("started", "").equals(state.getOrDefault("started", "")))
                .ifPresent(e -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // Stale files are skipped once their process is gone, and removed at the next look.
                    }
                });
    }

    private static Optional<Entry> read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException goneOrUnreadable) {
            return Optional.empty();
        }
        String user = props.getProperty(USER);
        if (user == null) {
            return Optional.empty();
        }
        Map<String, String> state = new LinkedHashMap<>();
        props.stringPropertyNames().stream().sorted()
                .filter(k -> !k.equals(USER) && !k.equals(SERVER))
                .forEach(k -> state.put(k, props.getProperty(k)));
        return Optional.of(new Entry(user, props.getProperty(SERVER, ""), state));
    }
}
