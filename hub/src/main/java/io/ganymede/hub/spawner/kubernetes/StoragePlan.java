package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;

/**
 * What a storage kind adds to a pod: volumes and mounts, a PVC to create if missing, pod
 * annotations and node selector entries (GCSFuse), and the service account it needs.
 */
public record StoragePlan(
        List<Volume> volumes,
        List<VolumeMount> mounts,
        PersistentVolumeClaim claimToEnsure,
        Map<String, String> podAnnotations,
        Map<String, String> nodeSelector,
        String serviceAccount) {

    static StoragePlan empty() {
        return new StoragePlan(List.of(), List.of(), null, Map.of(), Map.of(), null);
    }
}
