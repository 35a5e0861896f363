package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ganymede.hub.profiles.ResolvedProfile;
import io.ganymede.hub.spawn.SpawnConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.ganymede.hub.profiles.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Free GPUs per type and whether a profile could be scheduled now, for the profile picker. Reads
 * shared caches of all nodes and all pods of the cluster (every pod on a node uses its capacity,
 * not only ours), started on first use.
 */
@ApplicationScoped
public class Capacity {

    /** How long the first picker request waits for the node and pod lists before showing none. */
    static final Duration FIRST_LIST_WAIT = Duration.ofSeconds(2);

    @Inject
    KubernetesClient client;

    @Inject
    KubernetesConfig config;

    @Inject
    SpawnConfig spawnConfig;

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

    /** All GPUs per type, used or not (see {@link CapacityModel#totalGpus}); empty when disabled. Blocks like {@link #freeGpus()}. */
    public Map<String, Integer> totalGpus() {
        return enabled() ? model().totalGpus() : Map.of();
    }

    /** Whether the profile's server would be scheduled on some node now (true when disabled). */
    public boolean fits(ResolvedProfile profile) {
        if (!enabled()) {
            return true;
        }
        return fits(model(), profile);
    }

    /** Free GPUs per type and whether each profile (by slug) fits, read from one snapshot of the caches. */
    public record Room(Map<String, Integer> freeGpus, Map<String, Boolean> fits) {}

    /**
     * {@link #freeGpus()} and {@link #fits} for many profiles at once, building the model once.
     * Blocks until the caches are filled on first use: call from a worker thread.
     */
    public Room room(List<ResolvedProfile> profiles) {
        if (!enabled()) {
            Map<String, Boolean> fits = new LinkedHashMap<>();
            profiles.forEach(p -> fits.put(p.slug(), true));
            return new Room(Map.of(), fits);
        }
        return room(model(), profiles);
    }

    /** The room for {@code profiles} in one snapshot: what both {@link #room(List)} and {@link #annotate} report. */
    private Room room(CapacityModel model, List<ResolvedProfile> profiles) {
        Map<String, Boolean> fits = new LinkedHashMap<>();
        profiles.forEach(p -> fits.put(p.slug(), fits(model, p)));
        return new Room(model.freeGpus(), fits);
    }

    private boolean fits(CapacityModel model, ResolvedProfile profile) {
        ServerSpec spec = ServerSpec.from(profile.spec(), ServerSpec.Defaults.of(config, spawnConfig.startTimeout()));
        Map<String, String> selector = new LinkedHashMap<>(spec.nodeSelector());
        // Storage can pin nodes too (GCSFuse needs the metadata server).
        ServerNames anyone = ServerNames.of("capacity", "", config.podNameTemplate(), config.pvcNameTemplate(),
                config.namespace(), false);
        selector.putAll(StorageBuilder.build(anyone, spec).nodeSelector());
        return model.fits(spec, selector);
    }

    /**
     * Adds {@code "capacity": {"schedulable_now": bool, "free_gpus": n}} to each profile's view, for
     * the picker ("2 T4 free"): whether the profile with its default options would be scheduled on
     * some node now, and the free GPUs of its {@code gpu} type, as {@link #room(List)} reports them
     * (one snapshot for all profiles). Views are left as they are when capacity is off, the
     * spawner is not kubernetes, or the caches are not filled within a moment (an unreachable
     * cluster must not hold up the spawn page). Call from a worker thread.
     *
     * @param resolve the profile with its default options, or null when it has no usable defaults
     */
    public void annotate(List<Profile> profiles, List<Map<String, Object>> views,
            Function<Profile, ResolvedProfile> resolve) {
        if (!enabled() || !"kubernetes".equals(spawnConfig.kind())) {
            return;
        }
        CapacityModel model = modelWithin(FIRST_LIST_WAIT);
        if (model == null) {
            return;
        }
        List<ResolvedProfile> withDefaults = new ArrayList<>();
        for (Profile p : profiles) {
            ResolvedProfile r = resolve.apply(p);
            if (r != null) {
                withDefaults.add(r);
            }
        }
        // Slugs are unique, so each profile finds its own answer; none for a profile without defaults.
        Room room = room(model, withDefaults);
        for (int i = 0; i < profiles.size(); i++) {
            Profile p = profiles.get(i);
            Map<String, Object> c = new LinkedHashMap<>();
            Boolean fits = room.fits().get(p.slug());
            if (fits != null) {
                c.put("schedulable_now", fits);
            }
            if (p.gpuType() != null) {
                c.put("free_gpus", room.freeGpus().getOrDefault(p.gpuType(), 0));
            }
            views.get(i).put("capacity", c);
        }
    }

    private synchronized void reset(CompletableFuture<Void> failed) {
        if (started == failed) {
            stop();
            started = null;
        }
    }

    private CapacityModel model() {
        ensureStarted().join();
        return snapshot();
    }

    /** The model, or null if the caches are not filled within {@code wait} (or failed to start). */
    private CapacityModel modelWithin(Duration wait) {
        try {
            ensureStarted().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return snapshot();
    }

    private CapacityModel snapshot() {
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
