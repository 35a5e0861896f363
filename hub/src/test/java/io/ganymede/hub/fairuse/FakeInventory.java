package io.ganymede.hub.fairuse;

import io.ganymede.hub.persistence.UsageSessionEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.Map;

/**
 * A cluster of 2 T4 and 1 L4 for tests with the local spawner: free is what the hub's running
 * sessions leave, as the kubernetes test bed's nodes would show it.
 */
class FakeInventory extends GpuInventory {

    static final Map<String, Integer> TOTAL = Map.of("nvidia-tesla-t4", 2, "nvidia-l4", 1);

    @Override
    public boolean known() {
        return true;
    }

    @Override
    public Map<String, Integer> total() {
        return TOTAL;
    }

    @Override
    public Map<String, Integer> free() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Integer> free = new java.util.HashMap<>(TOTAL);
            for (UsageSessionEntity s : UsageSessionEntity.<UsageSessionEntity>list("stoppedAt is null and gpuType is not null")) {
                free.merge(s.gpuType, -s.gpus, Integer::sum);
            }
            return free;
        });
    }
}
