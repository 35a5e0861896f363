package io.ganymede.hub.fairuse;

import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawner.kubernetes.Capacity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The cluster's GPUs per type, all and free, as {@link Capacity} sees the nodes: known only with
 * the kubernetes spawner and capacity on. Blocks on first use: call from a worker thread.
 */
@ApplicationScoped
public class GpuInventory {

    @Inject
    Instance<Capacity> capacity;

    @Inject
    SpawnConfig spawn;

    public boolean known() {
        return "kubernetes".equals(spawn.kind()) && capacity.get().enabled();
    }

    /** Every GPU per type on usable nodes; empty when unknown. */
    public Map<String, Integer> total() {
        return known() ? capacity.get().totalGpus() : Map.of();
    }

    /** GPUs per type no pod requests now; empty when unknown. */
    public Map<String, Integer> free() {
        return known() ? capacity.get().freeGpus() : Map.of();
    }
}
