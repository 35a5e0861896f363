package io.ganymede.hub.spawner.kubernetes;

import io.ganymede.hub.services.AppDefinition;
import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawner.ProgressEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Managed team apps' pods, through the Kubernetes spawner's own start and stop (stale pods
 * replaced, retries, progress from the pod and its events, deletion when a start fails) and its
 * shared informers. One pod per app, in the spawner's namespace, built by {@link AppPodBuilder}.
 */
@ApplicationScoped
public class AppPods {

    private final KubernetesSpawner spawner;
    private final KubernetesConfig config;
    private final SpawnConfig spawnConfig;
    private final ServerInformers informers;

    AppPods(KubernetesSpawner spawner, KubernetesConfig config, SpawnConfig spawnConfig, ServerInformers informers) {
        this.spawner = spawner;
        this.config = config;
        this.spawnConfig = spawnConfig;
        this.informers = informers;
    }

    /** Starts the app's pod; completes with its URL ({@code http://<pod IP>:<port>}) once it is ready. */
    public Uni<String> start(AppDefinition app, Consumer<ProgressEvent> progress) {
        return Uni.createFrom().item(() -> AppPodBuilder.build(app, config.namespace(),
                        AppPodBuilder.defaults(config, spawnConfig.startTimeout())))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .call(pod -> spawner.watching())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(pod -> spawner.runPod(pod, spawnConfig.startTimeout(), progress, "the app " + app.name(), () -> {}))
                .map(ip -> url(ip, app.port()));
    }

    /** Deletes the app's pod and waits until it is gone (or the stop timeout passed). */
    public Uni<Void> stop(String service) {
        return spawner.deletePodAndWait(config.namespace(), AppPodBuilder.podName(service));
    }

    /**
     * The URL of the app's pod if it runs and is ready; empty if it is not there, not ready yet,
     * failed or being deleted. Blocks until the informers' caches are filled: call on a worker.
     */
    public Optional<String> readyUrl(AppDefinition app) {
        informers.ensureStarted().toCompletableFuture().join();
        return informers.pod(config.namespace(), AppPodBuilder.podName(app.name()))
                .map(PodState::of)
                .filter(PodState.Ready.class::isInstance)
                .map(state -> url(((PodState.Ready) state).podIp(), app.port()));
    }

    /** Whether the app's pod exists at all (starting, running or ending). Blocks like {@link #readyUrl}. */
    public boolean exists(String service) {
        informers.ensureStarted().toCompletableFuture().join();
        return informers.pod(config.namespace(), AppPodBuilder.podName(service)).isPresent();
    }

    private static String url(String ip, int port) {
        return "http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
