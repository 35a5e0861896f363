package io.ganymede.hub.spawn;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.fairuse.Admission;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.proxy.ProxyClient;
import io.ganymede.hub.spawner.PollResult;
import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnRequest;
import io.ganymede.hub.spawner.SpawnResult;
import io.ganymede.hub.spawner.Spawner;
import io.ganymede.hub.spawner.SpawnerSelector;
import io.ganymede.hub.usage.SessionFacts;
import io.ganymede.hub.usage.StopReason;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import io.ganymede.hub.metrics.HubMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The lifecycle around a {@link Spawner}: what JupyterHub's {@code spawn_single_user} and
 * {@code stop_single_user} do. A start issues the server's credentials, runs the spawner within
 * the start timeout, waits for the server to answer HTTP, adds its proxy route and records it;
 * any failure is reported in the progress stream and cleaned up. A stop does the reverse.
 */
@ApplicationScoped
public class SpawnCoordinator {

    private static final Logger LOG = Logger.getLogger(SpawnCoordinator.class);
    static final Duration SPAWNER_REASON_GRACE = Duration.ofSeconds(5);

    private final Map<String, ServerRuntime> runtimes = new ConcurrentHashMap<>();
    /**
     * Where starts do their checks and database part, four at a time; the rest queue here without
     * holding a request thread, so a storm of starts leaves the hub's other requests their threads.
     */
    private final ExecutorService preparing = Executors.newFixedThreadPool(PREPARING, daemon("spawn-prepare"));
    static final int PREPARING = 4;
    /** Guards {@link #reserved}: starts past the limit check and not yet pending. */
    private final Object slots = new Object();
    private int reserved;
    private final SpawnerSelector spawners;
    private final SpawnConfig config;
    private final ServerCredentials credentials;
    private final SingleUserEnvironment environment;
    private final ReadinessProbe readiness;
    private final ProxyClient proxy;
    private final ServerSpecs specs;
    private final ServerRecords records;
    private final StartClaims claims;
    private final Admission admission;
    private final HubMetrics metrics;
    private final Clock clock;
    private final jakarta.enterprise.inject.Instance<StartCheck> startChecks;
    private final SpawnThrottle throttle;

    SpawnCoordinator(SpawnerSelector spawners, SpawnConfig config, ServerCredentials credentials,
            SingleUserEnvironment environment, ReadinessProbe readiness, ProxyClient proxy, ServerSpecs specs,
            ServerRecords records, StartClaims claims, Admission admission, HubMetrics metrics, Clock clock,
            jakarta.enterprise.inject.Instance<StartCheck> startChecks) {
        this.spawners = spawners;
        this.config = config;
        this.credentials = credentials;
        this.environment = environment;
        this.readiness = readiness;
        this.proxy = proxy;
        this.specs = specs;
        this.records = records;
        this.claims = claims;
        this.admission = admission;
        this.metrics = metrics;
        this.clock = clock;
        this.startChecks = startChecks;
        this.throttle = new SpawnThrottle(config.spawnThrottleRetryRange(), config.spawnThrottleAdaptive());
    }

    /** The in-memory state of a server; {@code pending} is null when nothing is in flight. */
    public Optional<ServerRuntime> runtime(String user, String serverName) {
        return Optional.ofNullable(runtimes.get(key(user, serverName)));
    }

    public String pending(String user, String serverName) {
        return runtime(user, serverName).map(ServerRuntime::pending).orElse(null);
    }

    /**
     * JupyterHub's {@code pending} across replicas: in flight here, or a start recorded in the
     * database, which is pending until it ends or, its replica gone, the leader settles it; a
     * server whose start is not over is never reported ready.
     */
    public String pending(ServerEntity server) {
        String here = pending(server.user.name, server.name);
        return here != null ? here : server.pendingSince != null ? "spawn" : null;
    }

    /** A start recorded in the database that this process does not run: another replica's, or one left to settle. */
    public boolean startingElsewhere(ServerEntity server) {
        return pending(server.user.name, server.name) == null && server.pendingSince != null;
    }

    /** Another replica runs this server's start: the database says so. */
    private static final class StartingElsewhere extends RuntimeException {
        StartingElsewhere() {
            super(null, null, false, false);
        }
    }

    private static ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String key(String user, String serverName) {
        return user + "/" + serverName;
    }

    /** How a start request went, for the API's status code. */
    public enum Started { READY, PENDING }

    /**
     * Starts a server, answering {@link Started#READY} if it is up within the slow-spawn timeout
     * and {@link Started#PENDING} otherwise. Blocks: for callers on a worker thread.
     *
     * @throws ApiException as {@link #startAsync}
     */
    public Started start(String userName, String serverName, Map<String, Object> options) {
        return startAsync(userName, serverName, options).await().indefinitely();
    }

    /**
     * Starts a server: its checks and database part run on the start pool, then the answer comes
     * when the server is up ({@link Started#READY}) or the slow-spawn timeout passes
     * ({@link Started#PENDING}), holding no thread meanwhile.
     *
     * <p>Fails with {@link ApiException}: 400 when running or stopping or when its credentials
     * would not fit (see {@link ServerCredentials#checkStorable}), 403 over a quota or into GPUs
     * reserved for others ({@link Admission}), 404 for an unknown user, 429 over the limit, 500
     * when the start failed within the slow-spawn timeout.
     */
    public Uni<Started> startAsync(String userName, String serverName, Map<String, Object> options) {
        ServerCredentials.checkStorable(userName, serverName);
        refuseOverLimit();
        return Uni.createFrom().item(() -> launchOrJoin(userName, serverName, options))
                .runSubscriptionOn(preparing)
                .chain(flow -> flow == null ? Uni.createFrom().item(Started.PENDING) : flow
                        .onItem().transform(ok -> Started.READY)
                        .ifNoItem().after(config.slowTimeout()).recoverWithItem(Started.PENDING)
                        .onFailure(SpawnFailure.class).transform(failed -> new ApiException(500, failed.getMessage())));
    }

    /**
     * The checks and the launch of a start, under its server's lock: the start in flight, or null
     * when the server is pending already or another replica runs its start. Runs on the start pool:
     * fifty starts at once on a fresh hub had Hibernate parse the same new HQL fifty times in
     * parallel, and ANTLR's prediction state of those parses alone outgrew the launcher's 96 MiB
     * heap (SpawnStormFaultsTest, its heap dump).
     */
    private Uni<Void> launchOrJoin(String userName, String serverName, Map<String, Object> options) {
        ServerRuntime runtime = runtimes.computeIfAbsent(key(userName, serverName), k -> new ServerRuntime());
        // The lock covers the checks and the launch, never the wait: progress events need it too.
        synchronized (runtime) {
            String pending = runtime.pending();
            if ("spawn".equals(pending)) {
                return null;
            }
            if (pending != null) {
                throw ApiException.badRequest(logName(userName, serverName) + " is pending " + pending);
            }
            reserveSlot();
            try {
                if (records.starting(userName, serverName)) {
                    // Another replica runs this start, or the leader is about to finish or undo it.
                    return null;
                }
                Optional<ServerHandle> running = records.running(userName, serverName);
                if (running.isPresent()) {
                    PollResult poll = spawners.spawner().poll(running.get()).await().atMost(config.slowTimeout());
                    if (poll.running()) {
                        throw ApiException.badRequest(logName(userName, serverName) + " is already running");
                    }
                    records.stopped(userName, serverName, StopReason.FAILURE);
                }
                Map<String, Object> spec = specs.resolve(userName, options);
                startChecks.forEach(c -> c.check(userName, serverName, spec));
                // Quotas and reservations are checked before anything of the server exists; the
                // start counts as running for them until its session opens (or it fails).
                admission.admit(userName, serverName, spec);
                Launch launch;
                try {
                    launch = prepare(userName, serverName, options, spec);
                } catch (StartingElsewhere elsewhere) {
                    admission.settled(userName, serverName);
                    return null;
                } catch (RuntimeException e) {
                    admission.settled(userName, serverName);
                    throw e;
                }
                runtime.reset();
                runtime.pending("spawn");
                runtime.progress(0, "Server requested");
                Uni<Void> flow = launch(launch, runtime).eventually(() -> admission.settled(userName, serverName))
                        .memoize().indefinitely();
                Cancellable inFlight = flow.subscribe().with(ok -> {}, failure -> {});
                runtime.cancel = inFlight::cancel;
                return flow;
            } finally {
                releaseSlot();
            }
        }
    }

    /**
     * Takes a place under {@code concurrent-spawn-limit}, held from the check until the start is
     * pending (and so counted in flight): many starts at once (a group's scheduled run, the
     * morning rush) each see the others, and never pass the limit together.
     */
    private void reserveSlot() {
        synchronized (slots) {
            if (overLimit(reserved)) {
                throw throttle.refusal();
            }
            reserved++;
        }
    }

    /**
     * Refuses a start at once while {@code concurrent-spawn-limit} starts are in flight: a crowd
     * over the limit gets its 429 before any database work and without queueing behind the starts
     * ahead. (Only a first look: the start's own check, under the lock, is the one that counts.)
     *
     * @throws ApiException 429, as JupyterHub's
     */
    public void refuseOverLimit() {
        if (overLimit(0)) {
            throw throttle.refusal();
        }
    }

    private boolean overLimit(int reservedNow) {
        return config.concurrentSpawnLimit() > 0 && spawnsInFlight() + reservedNow >= config.concurrentSpawnLimit();
    }

    private void releaseSlot() {
        synchronized (slots) {
            reserved--;
        }
    }

    private long spawnsInFlight() {
        return runtimes.values().stream().filter(r -> "spawn".equals(r.pending())).count();
    }

    /** What a start needs, read and written in one transaction. */
    private record Launch(SpawnRequest request, String prefix) {}

    private Launch prepare(String userName, String serverName, Map<String, Object> options, Map<String, Object> spec) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = UserEntity.findByName(userName).orElseThrow(() -> ApiException.notFound("No such user: " + userName));
            ServerEntity server = user.server(serverName).orElseGet(() -> {
                ServerEntity created = new ServerEntity();
                created.user = user;
                created.name = serverName;
                created.displayName = serverName;
                created.persist();
                user.servers.add(created);
                return created;
            });
            // Claimed with one conditional write, so two replicas never run the same server's start;
            // a start left by a replica that died is the leader's to settle (ServerAdoption).
            Instant now = clock.instant();
            int claimed = ServerEntity.update("pendingSince = ?1, pendingBy = ?2 where id = ?3 and pendingSince is null",
                    now, claims.self(), server.id);
            if (claimed == 0) {
                throw new StartingElsewhere();
            }
            server.pendingSince = now;
            server.pendingBy = claims.self();
            server.userOptions = JsonColumns.write(options);
            String token = credentials.issue(server);
            Map<String, String> env = environment.build(userName, serverName, token, spec);
            SpawnRequest request = new SpawnRequest(userName, serverName, env, options, spec, JsonColumns.strings(server.spawnerState));
            return new Launch(request, Urls.serverPrefix(userName, serverName));
        });
    }

    private Uni<Void> launch(Launch launch, ServerRuntime runtime) {
        SpawnRequest request = launch.request();
        long startedAt = System.nanoTime();
        Duration timeout = startTimeout(request.spec(), config.startTimeout());
        // A spawner that enforces the same timeout itself (kubernetes) knows why it ran out (no
        // node fits, image still pulling): give it a moment to say so before this backstop fires.
        Uni<SpawnResult> running = spawners.spawner().start(request, event -> runtime.progress(event.progress(), event.message()))
                .ifNoItem().after(timeout.plus(SPAWNER_REASON_GRACE)).failWith(() -> new SpawnFailure(
                        "Spawner failed to start within " + timeout.toSeconds() + " seconds"))
                .onFailure(f -> !(f instanceof SpawnFailure)).transform(f -> new SpawnFailure(f.getMessage(), f))
                .call(result -> blocking(() -> {
                    records.started(request, result);
                    // Its session is open now: that is what quotas count from here on.
                    admission.settled(request.user(), request.serverName());
                    return null;
                }));
        return serve(request, running, runtime)
                .onItemOrFailure().invoke((ok, failure) -> {
                    Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
                    throttle.ended(took);
                    metrics.spawn(took, failure == null ? "success" : "failure");
                });
    }

    /**
     * Finishes a start that a replica now gone left unfinished while its server runs, as the start
     * itself would have ({@link #serve}): a server is never reported ready before it answers and
     * has its route. Claims the start first (it must still be the one recorded {@code since}), so
     * no other pass or replica finishes it too. Returns at once; a server that does not answer
     * within the http timeout is stopped, as a start that fails.
     */
    void adopt(String userName, String serverName, Instant since, SpawnResult found) {
        ServerRuntime runtime = runtimes.computeIfAbsent(key(userName, serverName), k -> new ServerRuntime());
        synchronized (runtime) {
            if (runtime.pending() != null
                    || !records.adopting(userName, serverName, since, claims.self(), found, storedFacts(userName, serverName))) {
                return;
            }
            runtime.reset();
            runtime.pending("spawn");
            runtime.progress(50, "Server found running after a hub restart");
            LOG.infof("adopting server %s at %s: its start was left unfinished by a hub replica that went away",
                    logName(userName, serverName), found.url());
            SpawnRequest request = new SpawnRequest(userName, serverName, Map.of(), Map.of(), Map.of(), found.state());
            Cancellable inFlight = serve(request, Uni.createFrom().item(found), runtime).subscribe().with(ok -> {}, failure -> {});
            runtime.cancel = inFlight::cancel;
        }
    }

    /** What the server's last start asked for, from its stored options; none when they no longer resolve. */
    private SessionFacts storedFacts(String userName, String serverName) {
        try {
            return SessionFacts.of(specs.resolve(userName, records.options(userName, serverName)));
        } catch (RuntimeException e) {
            LOG.debugf("no usage facts for %s: %s", logName(userName, serverName), e.getMessage());
            return SessionFacts.NONE;
        }
    }

    /**
     * The end of every start, and of an adoption: the running server must answer HTTP, then its
     * route is added, and only then is it reported ready, so a ready server is always reachable
     * through the proxy. A failure is reported in the progress stream and cleaned up (route,
     * process, credentials, record).
     */
    private Uni<Void> serve(SpawnRequest request, Uni<SpawnResult> running, ServerRuntime runtime) {
        Spawner spawner = spawners.spawner();
        String prefix = Urls.serverPrefix(request.user(), request.serverName());
        long since = System.nanoTime();
        return running
                .call(result -> {
                    runtime.progress(90, "Server process running; waiting for it to answer");
                    ServerHandle handle = new ServerHandle(request.user(), request.serverName(), result.state());
                    return readiness.awaitUp(probeUrl(result, prefix), config.httpTimeout(), () -> spawner.poll(handle));
                })
                .call(result -> blocking(() -> {
                    records.ready(request.user(), request.serverName());
                    return null;
                }))
                .call(result -> {
                    long routeStart = System.nanoTime();
                    return proxy.addRoute(prefix, result.url(), routeData(request, result))
                            .onItemOrFailure().invoke((ok, failure) -> metrics.proxyAdd(
                                    Duration.ofNanos(System.nanoTime() - routeStart), failure == null ? "success" : "failure"));
                })
                .invoke(result -> {
                    runtime.pending(null);
                    runtime.ready(prefix);
                    LOG.infof("server %s ready at %s after %d ms", request.displayName(), result.url(),
                            Duration.ofNanos(System.nanoTime() - since).toMillis());
                })
                .onFailure().call(failure -> {
                    // A spawner's reason is for the user; anything else is a defect, logged with its trace.
                    LOG.warnf(failure instanceof SpawnFailure ? null : failure, "server %s failed to start: %s",
                            request.displayName(), failure.getMessage());
                    return cleanUp(request.user(), request.serverName(), StopReason.FAILURE)
                            .invoke(() -> {
                                runtime.pending(null);
                                runtime.failed("Spawn failed: " + failure.getMessage());
                            });
                })
                .replaceWithVoid();
    }

    /** The profile's {@code start_timeout} in seconds (KubeSpawner's per-profile override), else the configured one. */
    public static Duration startTimeout(Map<String, Object> spec, Duration configured) {
        Object v = spec == null ? null : spec.get("start_timeout");
        if (v instanceof Number n && n.longValue() > 0) {
            return Duration.ofSeconds(n.longValue());
        }
        return configured;
    }

    /** Where readiness is checked: the app's own prefix, or its root when the proxy strips it. */
    private static String probeUrl(SpawnResult result, String prefix) {
        boolean stripped = Boolean.TRUE.equals(result.routeData().get("strip_prefix"));
        return result.url() + (stripped ? "/" : prefix + "api");
    }

    private static Map<String, Object> routeData(SpawnRequest request, SpawnResult result) {
        return RouteData.forServer(request.user(), request.serverName(), result.routeData());
    }

    /**
     * The server's own storage goes once the server is removed or its user deleted (KubeSpawner's
     * {@code delete_forever}); call after {@link #stop} finished.
     */
    public void deleteForever(ServerHandle server) {
        spawners.spawner().deleteForever(server);
    }

    /** A deleted user's storage goes, all of it (after each server's {@link #deleteForever(ServerHandle)}). */
    public void deleteForever(String user) {
        spawners.spawner().deleteForever(user);
    }

    /**
     * Stops a server: waits up to the slow-stop timeout and answers whether it finished.
     * A start in flight is cancelled first. Must be called on a worker thread.
     *
     * @param reason what the server's usage session records
     * @return true when stopped, false when the stop continues in the background (202)
     */
    public boolean stop(String userName, String serverName, StopReason reason) {
        return stopAsync(userName, serverName, reason).await().indefinitely();
    }

    /**
     * Stops a server, as {@link #stop}, answering when it is stopped (true) or the slow-stop
     * timeout passed (false) without holding a thread meanwhile. Its checks read the database:
     * call it on a worker thread.
     */
    public Uni<Boolean> stopAsync(String userName, String serverName, StopReason reason) {
        ServerRuntime runtime = runtimes.computeIfAbsent(key(userName, serverName), k -> new ServerRuntime());
        Uni<Void> flow;
        synchronized (runtime) {
            if ("stop".equals(runtime.pending())) {
                return Uni.createFrom().item(false);
            }
            if ("spawn".equals(runtime.pending())) {
                runtime.cancel.run();
                runtime.progress(100, "Start cancelled");
            } else if (records.running(userName, serverName).isEmpty()) {
                return Uni.createFrom().item(true);
            }
            runtime.pending("stop");
            long stopStart = System.nanoTime();
            flow = cleanUp(userName, serverName, reason)
                    .onItemOrFailure().invoke((ok, failure) -> metrics.stop(
                            Duration.ofNanos(System.nanoTime() - stopStart), failure == null ? "success" : "failure"))
                    .eventually(() -> runtime.pending(null))
                    .memoize().indefinitely();
            flow.subscribe().with(ok -> {}, failure -> LOG.errorf(failure, "stopping %s failed", logName(userName, serverName)));
        }
        return flow.onItem().transform(ok -> true).ifNoItem().after(config.slowTimeout()).recoverWithItem(false);
    }

    /** Removes the route, stops what the spawner runs, revokes credentials and records the stop. */
    private Uni<Void> cleanUp(String userName, String serverName, StopReason reason) {
        String prefix = Urls.serverPrefix(userName, serverName);
        ServerHandle handle = new ServerHandle(userName, serverName, records.state(userName, serverName));
        return proxy.deleteRoute(prefix)
                .onFailure().invoke(e -> LOG.warnf("could not remove route %s: %s", prefix, e.getMessage()))
                .onFailure().recoverWithNull()
                .chain(() -> spawners.spawner().stop(handle))
                .onFailure().invoke(e -> LOG.errorf(e, "spawner failed to stop %s", handle))
                .onFailure().recoverWithNull()
                .chain(() -> blocking(() -> {
                    markStopped(userName, serverName, reason);
                    return null;
                }))
                .replaceWithVoid();
    }

    void markStopped(String userName, String serverName, StopReason reason) {
        records.stopped(userName, serverName, reason);
    }

    /** Undoes a start left unfinished whose server never came up, unless another pass or replica settled it first. */
    void undo(String userName, String serverName, Instant since) {
        records.undone(userName, serverName, since);
    }

    /** How messages name a server: "alice's server" or "alice's server gpu". */
    public static String logName(String user, String serverName) {
        return serverName.isEmpty() ? user + "'s server" : user + "'s server " + serverName;
    }

    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

}
