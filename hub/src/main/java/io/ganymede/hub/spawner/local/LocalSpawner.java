package io.ganymede.hub.spawner.local;

import io.ganymede.hub.profiles.AppKind;
import io.ganymede.hub.spawner.PollResult;
import io.ganymede.hub.spawner.ProgressEvent;
import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnRequest;
import io.ganymede.hub.spawner.SpawnResult;
import io.ganymede.hub.spawner.Spawner;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs each server as a process on this machine, listening on a free loopback port: for
 * development and end-to-end tests. Processes are found again after a hub restart by their pid
 * and start time, so a recycled pid is never mistaken for a server; a pid file per process
 * ({@link PidFiles}) finds those the hub started but no longer records, so none runs on unseen.
 */
@ApplicationScoped
public class LocalSpawner implements Spawner {

    private static final Logger LOG = Logger.getLogger(LocalSpawner.class);

    /**
     * Run by {@code /bin/sh} before the server: the process adds its own pid to the file the hub
     * wrote ({@code $0}), then becomes the server (same pid), so no server runs that no file names.
     */
    static final String RECORD_PID_THEN_RUN = "echo \"pid=$$\" >> \"$0\" && exec \"$@\"";
    /** How far a process's start may lie from its file's writes: clocks and start times are imprecise. */
    private static final Duration START_WINDOW = Duration.ofMinutes(1);
    /** The resolved profile's key naming its app, and the state's key that keeps it. */
    private static final String KIND = "app";

    private final LocalSpawnerConfig config;
    private final PidFiles pidFiles;
    /** Processes this hub started, by pid: exit codes are only known for these. */
    private final Map<Long, Process> children = new ConcurrentHashMap<>();

    LocalSpawner(LocalSpawnerConfig config) {
        this.config = config;
        this.pidFiles = new PidFiles(Path.of(config.root()));
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public Uni<SpawnResult> start(SpawnRequest request, Consumer<ProgressEvent> progress) {
        return Uni.createFrom().item(() -> launch(request, progress))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private SpawnResult launch(SpawnRequest request, Consumer<ProgressEvent> progress) {
        try {
            int port = freePort();
            Path dir = serverDir(request.user(), request.serverName());
            Files.createDirectories(dir);
            Path log = dir.resolve("server.log");
            AppKind app = AppKind.byId(String.valueOf(request.spec().get(KIND))).orElse(AppKind.JUPYTERLAB);
            List<String> server = command(app, port);
            Map<String, String> planned = Map.of("port", String.valueOf(port), "log", log.toAbsolutePath().toString());
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", RECORD_PID_THEN_RUN, pidFiles.file(planned.get("port")).toString()));
            command.addAll(server);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            Map<String, String> inherited = new HashMap<>(env);
            env.clear();
            for (String key : config.envKeep()) {
                Optional.ofNullable(inherited.get(key)).ifPresent(v -> env.put(key, v));
            }
            env.put("HOME", dir.toAbsolutePath().toString());
            requireCommand(server.get(0), dir, env.get("PATH"));
            env.putAll(request.environment());
            String prefix = request.environment().getOrDefault("JUPYTERHUB_SERVICE_PREFIX", "/");
            env.put("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:" + port + prefix);
            progress.accept(new ProgressEvent(20, "Starting " + server.get(0) + " on port " + port));
            pidFiles.starting(request.user(), request.serverName(), planned);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                pidFiles.remove(planned);
                throw e;
            }
            long pid = process.pid();
            Map<String, String> state = Map.of(
                    "pid", String.valueOf(pid),
                    "port", String.valueOf(port),
                    "started", process.info().startInstant().map(Instant::toString).orElse(""),
                    "log", log.toAbsolutePath().toString(),
                    // An adopted server keeps its route data (code-server's prefix stripping).
                    KIND, app.id());
            try {
                // The process added its pid itself; the start time tells a reused pid from it later.
                pidFiles.started(request.user(), request.serverName(), state);
            } catch (IOException e) {
                process.destroyForcibly();
                throw e;
            }
            children.put(pid, process);
            process.onExit().thenRun(() -> {
                LOG.infof("server %s (pid %d) exited with %d", request.displayName(), pid, process.exitValue());
                pidFiles.remove(state);
            });
            LOG.infof("started %s for %s (pid %d, port %d, log %s)", server.get(0), request.displayName(), pid, port, log);
            return new SpawnResult("http://127.0.0.1:" + port, state, app.routeData());
        } catch (IOException e) {
            throw new IllegalStateException("Could not start a server for " + request.displayName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The server's command line: code-server for profiles with {@code app: code-server}, listening
     * as in its pod; the Jupyter command for JupyterLab.
     */
    private List<String> command(AppKind app, int port) throws IOException {
        List<String> server = new ArrayList<>();
        if (app == AppKind.RSTUDIO) {
            // rserver runs as root with its own user accounts: only in its container.
            throw new IOException("the local spawner runs JupyterLab and code-server, not RStudio (app: rstudio)");
        }
        if (app == AppKind.CODE_SERVER) {
            server.addAll(config.codeServerCmd());
            server.addAll(AppKind.codeServerArgs("127.0.0.1", port));
            return server;
        }
        server.addAll(config.cmd());
        config.args().ifPresent(server::addAll);
        server.add("--ip=127.0.0.1");
        server.add("--port=" + port);
        if ("root".equals(System.getProperty("user.name")) && isJupyterCommand(server)) {
            // Jupyter refuses to run as root without it; the hub only runs as root in containers and CI.
            server.add("--allow-root");
        }
        return server;
    }

    /** The shell runs the server by {@code exec}: a command it cannot find is refused before, with its name. */
    private static void requireCommand(String command, Path dir, String path) throws IOException {
        boolean found = command.contains("/") ? Files.isExecutable(dir.resolve(command))
                : path != null && Arrays.stream(path.split(":")).anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
        if (!found) {
            throw new IOException(command + " not found" + (command.contains("/") ? "" : " on PATH " + path));
        }
    }

    private static boolean isJupyterCommand(List<String> command) {
        return command.stream().anyMatch(part -> part.contains("jupyter"));
    }

    @Override
    public Uni<Void> stop(ServerHandle server) {
        return Uni.createFrom().<Void>item(() -> {
            find(server.state()).ifPresent(this::terminate);
            pidFiles.remove(server.state());
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void terminate(ProcessHandle handle) {
        List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
        tree.add(handle);
        tree.forEach(ProcessHandle::destroy);
        try {
            handle.onExit().get(config.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeout) {
            LOG.warnf("pid %d did not exit within %s; killing it", handle.pid(), config.stopGrace());
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        children.remove(handle.pid());
    }

    @Override
    public Uni<PollResult> poll(ServerHandle server) {
        return Uni.createFrom().item(() -> {
            Process child = pid(server.state()).map(children::get).orElse(null);
            if (child != null && !child.isAlive()) {
                return PollResult.stopped(child.exitValue(), "process exited with status " + child.exitValue());
            }
            return find(server.state()).isPresent()
                    ? PollResult.isRunning()
                    : PollResult.stopped(null, "process is gone");
        });
    }

    /**
     * Processes started by this hub, or an earlier run of it on the same root, that {@code known}
     * does not name (matched by pid and start time). Pid files of processes gone are removed.
     */
    @Override
    public List<ServerHandle> orphans(Collection<ServerHandle> known) {
        List<ServerHandle> orphans = new ArrayList<>();
        for (PidFiles.Entry entry : pidFiles.read()) {
            Optional<Map<String, String>> state = identified(entry);
            if (state.isEmpty()) {
                // A file the process has not added its pid to yet is left a while: it may be starting.
                if (entry.state().containsKey("pid") || entry.requested().isBefore(Instant.now().minus(START_WINDOW))) {
                    pidFiles.remove(entry.state());
                }
            } else if (find(state.get()).isEmpty()) {
                pidFiles.remove(state.get());
            } else if (known.stream().noneMatch(k -> sameProcess(k.state(), state.get()))) {
                orphans.add(new ServerHandle(entry.user(), entry.serverName(), state.get()));
            }
        }
        return orphans;
    }

    /**
     * The state a file names a process by: as the hub completed it, or, when the hub died before
     * that, the pid the process added itself and the start time, if that process started between
     * the file's writes (give or take the clock's imprecision); a pid reused since did not.
     */
    private Optional<Map<String, String>> identified(PidFiles.Entry entry) {
        Map<String, String> state = entry.state();
        if (!state.getOrDefault("started", "").isEmpty() || !state.containsKey("pid")) {
            return state.containsKey("pid") ? Optional.of(state) : Optional.empty();
        }
        Optional<Instant> started = pid(state).flatMap(ProcessHandle::of).flatMap(p -> p.info().startInstant())
                .filter(at -> !at.isBefore(entry.requested().minus(START_WINDOW)) && !at.isAfter(entry.modified().plus(START_WINDOW)));
        if (started.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> complete = new LinkedHashMap<>(state);
        complete.put("started", started.get().toString());
        try {
            pidFiles.started(entry.user(), entry.serverName(), complete);
        } catch (IOException e) {
            LOG.warnf("could not complete the pid file of %s: %s", complete, e.getMessage());
        }
        return Optional.of(Map.copyOf(complete));
    }

    private static boolean sameProcess(Map<String, String> recorded, Map<String, String> found) {
        String started = recorded.getOrDefault("started", "");
        return pid(recorded).equals(pid(found)) && (started.isEmpty() || started.equals(found.get("started")));
    }

    /** A process that runs, found by {@link #orphans}: its address is in its state. */
    @Override
    public Optional<SpawnResult> adopt(ServerHandle orphan) {
        String port = orphan.state().get("port");
        if (port == null || find(orphan.state()).isEmpty()) {
            return Optional.empty();
        }
        AppKind app = AppKind.byId(orphan.state().get(KIND)).orElse(AppKind.JUPYTERLAB);
        return Optional.of(new SpawnResult("http://127.0.0.1:" + port, orphan.state(), app.routeData()));
    }

    /** Every process in {@code .pids} was started by a hub on this root: nobody else's to keep. */
    @Override
    public boolean orphansAreOwn() {
        return true;
    }

    /** The live process the state describes, if it is still the same process (pid and start time). */
    private Optional<ProcessHandle> find(Map<String, String> state) {
        return pid(state).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> {
                    String started = state.getOrDefault("started", "");
                    return started.isEmpty() || handle.info().startInstant().map(Instant::toString).orElse("").equals(started);
                });
    }

    private static Optional<Long> pid(Map<String, String> state) {
        try {
            return Optional.ofNullable(state.get("pid")).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path serverDir(String user, String serverName) {
        String name = serverName.isEmpty() ? user : user + "--" + serverName;
        // File names: keep what is safe, escape the rest, so two users never share a folder.
        StringBuilder safe = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || (c == '.' && safe.length() > 0)) {
                safe.append(c);
            } else {
                safe.append('%').append(String.format("%02x", (int) c));
            }
        }
        return Path.of(config.root()).resolve(safe.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
