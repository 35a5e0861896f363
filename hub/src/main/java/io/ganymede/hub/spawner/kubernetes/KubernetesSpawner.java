package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ganymede.hub.profiles.AppKind;
import io.ganymede.hub.spawner.PollResult;
import io.ganymede.hub.spawner.ProgressEvent;
import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnRequest;
import io.ganymede.hub.spawner.SpawnResult;
import io.ganymede.hub.spawner.Spawner;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A pod per user server. Objects are built by {@link PodBuilder} and {@link StorageBuilder}; this
 * class only talks to the API server (on worker threads: the client blocks) and follows pods
 * through the shared {@link ServerInformers}.
 */
@ApplicationScoped
public class KubernetesSpawner implements Spawner {

    private static final Logger LOG = Logger.getLogger(KubernetesSpawner.class);

    /** Keys of {@link SpawnResult#state()} and {@link ServerHandle#state()}. */
    public static final String STATE_POD = "pod_name";
    public static final String STATE_NAMESPACE = "namespace";
    public static final String STATE_PVC = "pvc_name";
    public static final String STATE_APP = "app";
    public static final String STATE_PROFILE = "profile";
    public static final String STATE_URL = "url";
    /** Written by KubeSpawner 7 and later: a state without it (and not Ganymede's) is KubeSpawner 6's. */
    static final String STATE_KUBESPAWNER_VERSION = "kubespawner_version";

    @Inject
    KubernetesClient client;

    @Inject
    KubernetesConfig config;

    @Inject
    ServerInformers informers;

    @Inject
    io.ganymede.hub.spawn.SpawnConfig spawnConfig;

    @Inject
    KubernetesVolumes volumes;

    private final Executor worker = Infrastructure.getDefaultWorkerPool();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubernetes-spawn-ticker");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock = Clock.systemUTC();
    /**
     * Creates in flight at once. A storm of starts then queues here rather than in the HTTP
     * client, where the wait would count against each request's timeout.
     */
    private java.util.concurrent.Semaphore apiSlots;

    @jakarta.annotation.PostConstruct
    void init() {
        apiSlots = new java.util.concurrent.Semaphore(config.apiConcurrency());
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    /** What a start prepares before it talks to the cluster. */
    record Plan(ServerNames names, ServerSpec spec, StoragePlan storage, Pod pod) {}

    /** Computes names and objects for a request; pure. */
    Plan plan(SpawnRequest request) {
        return plan(request, names(request.user(), request.serverName())
                .withRememberedClaim(request.state() == null ? null : request.state().get(STATE_PVC)));
    }

    private Plan plan(SpawnRequest request, ServerNames names) {
        ServerSpec spec = ServerSpec.from(request.spec(), ServerSpec.Defaults.of(config, spawnConfig.startTimeout()));
        StoragePlan storage = StorageBuilder.build(names, spec);
        Pod pod = PodBuilder.build(names, spec, request.environment() == null ? Map.of() : request.environment(), storage);
        return new Plan(names, spec, storage, pod);
    }

    ServerNames names(String user, String server) {
        return ServerNames.of(config, user, server);
    }

    @Override
    public Uni<SpawnResult> start(SpawnRequest request, Consumer<ProgressEvent> progress) {
        return Uni.createFrom().item(() -> withLegacyClaim(request, plan(request)))
                .runSubscriptionOn(worker)
                .call(p -> watching())
                .emitOn(worker)
                .onItem().transformToUni(p -> launch(p, progress));
    }

    /** The shared caches, started if needed; a failure to reach the API server reads as such. */
    Uni<Void> watching() {
        return Uni.createFrom().completionStage(informers.ensureStarted())
                .onFailure().transform(t -> new StartWatch.SpawnFailure("Kubernetes cannot be reached: "
                        + (t.getCause() != null && t instanceof java.util.concurrent.CompletionException
                                ? t.getCause().getMessage() : t.getMessage())));
    }

    private Uni<SpawnResult> launch(Plan p, Consumer<ProgressEvent> progress) {
        String ns = p.names().namespace();
        return runPod(p.pod(), p.spec().startTimeout(), progress, "your server", () -> {
            if (config.userNamespaces()) {
                ensureNamespace(ns);
            }
            if (p.storage().claimToEnsure() != null) {
                progress.accept(new ProgressEvent(2, "Preparing your storage"));
                ensureClaim(p.storage().claimToEnsure());
            }
        }).onItem().transform(ip -> result(p, ip));
    }

    /**
     * Creates a pod (after removing a stale one of its name) and follows it until it is ready,
     * within {@code startTimeout}: its address. A start that fails deletes the pod, since a pending
     * pod that will never run still holds a GPU request; claims are kept. Runs on the worker.
     *
     * @param what what is started, for messages ("your server", "the app tensorboard")
     * @param prepare what must exist before the pod (namespace, claim); its failure fails the start
     */
    Uni<String> runPod(Pod pod, Duration startTimeout, Consumer<ProgressEvent> progress, String what, Runnable prepare) {
        String ns = pod.getMetadata().getNamespace();
        String podName = pod.getMetadata().getName();
        StartWatch watch = new StartWatch(podName, progress, clock, startTimeout, config.imagePullGrace());
        // Listen before creating, so no change between create and listen is missed.
        AutoCloseable listening = informers.listen(ns, podName, watch);
        ScheduledFuture<?> ticking = ticker.scheduleWithFixedDelay(watch::tick, 1, 1, TimeUnit.SECONDS);
        try {
            prepare.run();
            removeStalePod(ns, podName);
            progress.accept(new ProgressEvent(5, "Requesting a pod for " + what));
            Pod created = withRetries("create pod " + ns + "/" + podName, () -> createPod(pod));
            watch.created(created.getMetadata().getUid());
            // The informer may have seen the pod before we knew its uid: look once more.
            informers.pod(ns, podName).ifPresent(watch::onPod);
        } catch (RuntimeException e) {
            close(listening, ticking);
            return Uni.createFrom().failure(new StartWatch.SpawnFailure(
                    "Kubernetes refused to start " + what + ": " + message(e)));
        }
        return Uni.createFrom().completionStage(watch.ready())
                .onTermination().invoke(() -> close(listening, ticking))
                .onFailure().call(t -> Uni.createFrom().item(() -> {
                    LOG.infof("start of %s failed: %s", podName, t.getMessage());
                    deletePod(ns, podName);
                    return null;
                }).runSubscriptionOn(worker));
    }

    private SpawnResult result(Plan p, String podIp) {
        String host = podIp.contains(":") ? "[" + podIp + "]" : podIp;
        String url = "http://" + host + ":" + p.spec().app().port();
        Map<String, String> state = new LinkedHashMap<>();
        state.put(STATE_POD, p.names().podName());
        state.put(STATE_NAMESPACE, p.names().namespace());
        if (p.storage().claimToEnsure() != null) {
            state.put(STATE_PVC, p.names().pvcName());
        }
        state.put(STATE_APP, p.spec().app().id());
        if (p.spec().profile() != null) {
            state.put(STATE_PROFILE, p.spec().profile());
        }
        return new SpawnResult(url, state, p.spec().app().routeData());
    }

    private void ensureNamespace(String ns) {
        if (client.namespaces().withName(ns).get() == null) {
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                        .addToLabels(PodBuilder.LABEL_MANAGED_BY, PodBuilder.MANAGED_BY).endMetadata().build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
    }

    /**
     * KubeSpawner 7's {@code handle_legacy_names}: a server whose state comes from KubeSpawner
     * before 7 (some state, no {@code kubespawner_version}, no remembered claim, as an imported
     * z2jh server's) and whose claim of the current name does not exist, but whose claim of the
     * legacy {@code escape} name does ({@code claim-alice-40example-2ecom}), gets that one and the
     * files on it. A server without state is a first start, as in KubeSpawner: nothing to read.
     * Blocking: runs on the worker.
     */
    private Plan withLegacyClaim(SpawnRequest request, Plan p) {
        Map<String, String> state = request.state() == null ? Map.of() : request.state();
        boolean fromKubeSpawner6 = !state.isEmpty() && !state.containsKey(STATE_KUBESPAWNER_VERSION)
                && !state.containsKey(STATE_APP) && !state.containsKey(STATE_PVC);
        if (!fromKubeSpawner6 || p.storage().claimToEnsure() == null
                || !p.storage().claimToEnsure().getMetadata().getName().equals(p.names().pvcName())) {
            return p;
        }
        String ns = p.names().namespace();
        String legacy = p.names().legacyPvcName(config.pvcNameTemplate());
        if (legacy.equals(p.names().pvcName()) || !Slugs.isValidObjectName(legacy)
                || claimExists(ns, p.names().pvcName()) || !claimExists(ns, legacy)) {
            return p;
        }
        LOG.infof("Using the legacy claim %s/%s of %s (KubeSpawner's escape scheme)", ns, legacy, p.names().user());
        return plan(request, p.names().withRememberedClaim(legacy));
    }

    /** Read as the creates are, with retries: an API server restarting must not fail the start. */
    private boolean claimExists(String ns, String name) {
        return withRetries("read claim " + ns + "/" + name,
                () -> client.persistentVolumeClaims().inNamespace(ns).withName(name).get() != null);
    }

    /** Creates the user's claim unless it exists; an existing claim (KubeSpawner's too) is reused as is. */
    private void ensureClaim(PersistentVolumeClaim pvc) {
        String ns = pvc.getMetadata().getNamespace();
        withRetries("create claim " + ns + "/" + pvc.getMetadata().getName(), () -> {
            try {
                client.persistentVolumeClaims().inNamespace(ns).resource(pvc).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
            return null;
        });
    }

    /**
     * Creates the pod. After a timed-out attempt the API server may have stored it anyway: a
     * conflict on the retry then means the pod is there, and it is ours (the stale one was removed).
     */
    private Pod createPod(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        try {
            return client.pods().inNamespace(ns).resource(pod).create();
        } catch (KubernetesClientException e) {
            Pod existing = e.getCode() == HttpURLConnection.HTTP_CONFLICT
                    ? client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get() : null;
            if (existing == null) {
                throw e;
            }
            return existing;
        }
    }

    /**
     * KubeSpawner's exponential_backoff around API calls: a call that timed out or could not
     * connect (an API server that is busy, as in a spawn storm) is tried again, waiting 0.5 s, 1 s,
     * 2 s ... until {@code ganymede.kubernetes.api-retry-timeout}; an answer (403, 422, ...) is
     * final. Runs on a worker thread.
     */
    private <T> T withRetries(String what, java.util.function.Supplier<T> call) {
        long until = System.nanoTime() + config.apiRetryTimeout().toNanos();
        long waitMs = 500;
        while (true) {
            try {
                apiSlots.acquireUninterruptibly();
                try {
                    return call.get();
                } finally {
                    apiSlots.release();
                }
            } catch (KubernetesClientException e) {
                boolean answered = e.getCode() > 0;
                if (answered || System.nanoTime() + waitMs * 1_000_000 > until) {
                    throw e;
                }
                LOG.infof("%s: %s; trying again in %d ms", what, message(e), waitMs);
                sleep(waitMs);
                waitMs = Math.min(waitMs * 2, 5000);
            }
        }
    }

    /** A pod left from an earlier run of this server (crashed, or not cleaned up) would block the name. */
    private void removeStalePod(String ns, String podName) {
        if (informers.pod(ns, podName).isEmpty()) {
            return;
        }
        LOG.infof("deleting stale pod %s/%s before starting", ns, podName);
        deletePod(ns, podName);
        long until = System.nanoTime() + config.stopTimeout().toNanos();
        while (informers.pod(ns, podName).isPresent() && System.nanoTime() < until) {
            sleep(100);
        }
    }

    @Override
    public Uni<Void> stop(ServerHandle server) {
        return deletePodAndWait(namespaceOf(server), podNameOf(server));
    }

    /** Deletes a pod and waits, up to the stop timeout, until the informers see it gone. */
    Uni<Void> deletePodAndWait(String ns, String podName) {
        return Uni.createFrom().completionStage(informers.ensureStarted())
                .emitOn(worker)
                .onItem().transformToUni(x -> {
                    CompletableFuture<Void> gone = new CompletableFuture<>();
                    AutoCloseable listening = informers.listen(ns, podName, new ServerInformers.PodListener() {
                        @Override
                        public void onPod(Pod pod) {}

                        @Override
                        public void onDeleted() {
                            gone.complete(null);
                        }

                        @Override
                        public void onEvent(io.fabric8.kubernetes.api.model.Event event) {}
                    });
                    deletePod(ns, podName);
                    if (informers.pod(ns, podName).isEmpty()) {
                        gone.complete(null);
                    }
                    return Uni.createFrom().completionStage(gone)
                            .ifNoItem().after(config.stopTimeout()).recoverWithItem(() -> {
                                LOG.warnf("pod %s/%s still terminating after %s", ns, podName, config.stopTimeout());
                                return null;
                            })
                            .onTermination().invoke(() -> close(listening, null));
                });
    }

    private void deletePod(String ns, String podName) {
        try {
            client.pods().inNamespace(ns).withName(podName)
                    .withGracePeriod(config.deleteGracePeriod().toSeconds()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }

    @Override
    public Uni<PollResult> poll(ServerHandle server) {
        String ns = namespaceOf(server);
        String podName = podNameOf(server);
        return Uni.createFrom().completionStage(informers.ensureStarted())
                .onItem().transform(x -> informers.pod(ns, podName)
                        .map(KubernetesSpawner::pollOf)
                        .orElse(PollResult.stopped(0, "pod " + podName + " no longer exists")));
    }

    private static PollResult pollOf(Pod pod) {
        PodState state = PodState.of(pod);
        if (state instanceof PodState.Failed f) {
            return PollResult.stopped(1, f.message());
        }
        if (state instanceof PodState.Gone) {
            return PollResult.stopped(0, "pod " + pod.getMetadata().getName() + " is being deleted");
        }
        return PollResult.isRunning();
    }

    /** Told by the shared pod informer, as soon as a pod is deleted, evicted or ends, without waiting for a poll. */
    @Override
    public void onStopped(Consumer<ServerHandle> stopped) {
        informers.onStopped(pod -> stopped.accept(handleOf(pod)));
    }

    /**
     * Servers whose pods exist and are not failing or being deleted, for adoption when the hub
     * starts: the state is what {@link #start} would have returned, URL included when the pod has an
     * address. Blocks until the pod cache is filled: call from a worker thread.
     */
    public List<ServerHandle> runningServers() {
        informers.ensureStarted().toCompletableFuture().join();
        return informers.pods().stream()
                .filter(p -> pollOf(p).running())
                .map(KubernetesSpawner::handleOf)
                .toList();
    }

    /** Running servers the hub does not know (not in {@code known}, matched by namespace and pod name). */
    @Override
    public List<ServerHandle> orphans(Collection<ServerHandle> known) {
        Set<String> knownPods = new HashSet<>();
        for (ServerHandle h : known) {
            knownPods.add(namespaceOf(h) + "/" + podNameOf(h));
        }
        return runningServers().stream()
                .filter(h -> !knownPods.contains(h.state().get(STATE_NAMESPACE) + "/" + h.state().get(STATE_POD)))
                .toList();
    }

    @Override
    public void deleteForever(ServerHandle server) {
        if (!config.deletesVolumes()) {
            return;
        }
        // Only the server's own claim, remembered or by its template name: a shared one (Filestore)
        // has the admin's name and is never in a server's state.
        ServerNames n = names(server.user(), server.serverName())
                .withRememberedClaim(server.state() == null ? null : server.state().get(STATE_PVC));
        withRetries("delete claim " + n.namespace() + "/" + n.pvcName(),
                () -> client.persistentVolumeClaims().inNamespace(n.namespace()).withName(n.pvcName()).delete());
    }

    @Override
    public Optional<io.ganymede.hub.spawner.VolumeStore> volumes() {
        return Optional.of(volumes);
    }

    @Override
    public void deleteForever(String user) {
        if (config.deletesVolumes()) {
            volumes.list().stream().filter(v -> user.equals(v.user())).forEach(volumes::delete);
        }
    }

    /** A running pod's address and state, as {@link #result} gives them (the user's own claim if it mounts it). */
    @Override
    public Optional<SpawnResult> adopt(ServerHandle orphan) {
        String url = orphan.state().get(STATE_URL);
        if (url == null) {
            return Optional.empty();
        }
        Map<String, String> state = new LinkedHashMap<>(orphan.state());
        state.remove(STATE_URL);
        String claim = names(orphan.user(), orphan.serverName()).pvcName();
        informers.pod(namespaceOf(orphan), podNameOf(orphan)).ifPresent(pod -> pod.getSpec().getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null && claim.equals(v.getPersistentVolumeClaim().getClaimName()))
                .findFirst().ifPresent(v -> state.put(STATE_PVC, claim)));
        AppKind app = AppKind.byId(state.get(STATE_APP)).orElse(AppKind.JUPYTERLAB);
        return Optional.of(new SpawnResult(url, state, app.routeData()));
    }

    private static ServerHandle handleOf(Pod pod) {
        Map<String, String> a = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
        Map<String, String> state = new LinkedHashMap<>();
        state.put(STATE_POD, pod.getMetadata().getName());
        state.put(STATE_NAMESPACE, pod.getMetadata().getNamespace());
        String app = a.getOrDefault(PodBuilder.ANNOTATION_APP, "jupyterlab");
        state.put(STATE_APP, app);
        if (a.containsKey(PodBuilder.ANNOTATION_PROFILE)) {
            state.put(STATE_PROFILE, a.get(PodBuilder.ANNOTATION_PROFILE));
        }
        if (PodState.of(pod) instanceof PodState.Ready r) {
            int port = io.ganymede.hub.profiles.AppKind.byId(app).orElse(io.ganymede.hub.profiles.AppKind.JUPYTERLAB).port();
            state.put(STATE_URL, "http://" + r.podIp() + ":" + port);
        }
        return new ServerHandle(a.getOrDefault(PodBuilder.LABEL_USERNAME, ""),
                a.getOrDefault(PodBuilder.LABEL_SERVERNAME, ""), state);
    }

    private String namespaceOf(ServerHandle h) {
        String ns = h.state() == null ? null : h.state().get(STATE_NAMESPACE);
        return ns != null ? ns : names(h.user(), h.serverName()).namespace();
    }

    private String podNameOf(ServerHandle h) {
        String pod = h.state() == null ? null : h.state().get(STATE_POD);
        return pod != null ? pod : names(h.user(), h.serverName()).podName();
    }

    private static String message(RuntimeException e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        if (e.getMessage() == null) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        }
        return e.getMessage();
    }

    private static void close(AutoCloseable listening, ScheduledFuture<?> ticking) {
        if (ticking != null) {
            ticking.cancel(false);
        }
        try {
            listening.close();
        } catch (Exception e) {
            // unregistering cannot fail in a way that matters
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void shutdown() {
        ticker.shutdownNow();
    }

}
