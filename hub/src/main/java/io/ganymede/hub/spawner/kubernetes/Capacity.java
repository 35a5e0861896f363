package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ganymede.hub.profiles.ResolvedProfile;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Free GPUs per type and whether a profile could be scheduled now, for the profile picker. Reads
 * shared caches of all nodes and all pods of the cluster (every pod on a node uses its capacity,
 * not only ours), started on first use.
 */
@ApplicationScoped
public class Capacity {

    @Inject
    KubernetesClient client;

    @Inject
    KubernetesConfig config;

    private volatile CompletableFuture<Void> started;
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<Pod> pods;

    /** Starts the caches once; completes when both are filled. */
    public CompletableFuture<Void> ensureStarted() {
        CompletableFuture<Void> s = started;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (started == null) {
                nodes = client.nodes().runnableInformer(0);
                pods = client.pods().inAnyNamespace().runnableInformer(0);
                CompletableFuture<Void> f = CompletableFuture.allOf(nodes.start().toCompletableFuture(),
                        pods.start().toCompletableFuture());
                started = f;
                f.whenComplete((v, t) -> {
                    if (t != null) {
                        reset(f);
                    }
                });
            }
            return started;
        }
    }

    /** Whether capacity is computed at all ({@code ganymede.kubernetes.capacity-enabled}). */
    public boolean enabled() {
        return config.capacityEnabled();
    }

    /**
     * Free {@code nvidia.com/gpu} per {@code cloud.google.com/gke-accelerator} type. Blocks until the
     * caches are filled on first use: call from a worker thread. Empty when disabled.
     */
    public Map<String, Integer> freeGpus() {
        return enabled() ? model().freeGpus() : Map.of();
    }

    /** Whether the profile's server would be scheduled on some node now (true when disabled). */
    public boolean fits(ResolvedProfile profile) {
        if (!enabled()) {
            return true;
        }
        ServerSpec spec = ServerSpec.from(profile.spec(), ServerSpec.Defaults.of(config));
        Map<String, String> selector = new LinkedHashMap<>(spec.nodeSelector());
        // Storage can pin nodes too (GCSFuse needs the metadata server).
        ServerNames anyone = ServerNames.of("capacity", "", config.podNameTemplate(), config.pvcNameTemplate(),
                config.namespace(), false);
        selector.putAll(StorageBuilder.build(anyone, spec).nodeSelector());
        return model().fits(spec, selector);
    }

    private synchronized void reset(CompletableFuture<Void> failed) {
        if (started == failed) {
            stop();
            started = null;
        }
    }

    private CapacityModel model() {
        ensureStarted().join();
        return new CapacityModel(nodes.getStore().list(), pods.getStore().list());
    }

    @PreDestroy
    void stop() {
        if (nodes != null) {
            nodes.stop();
        }
        if (pods != null) {
            pods.stop();
        }
    }
}
