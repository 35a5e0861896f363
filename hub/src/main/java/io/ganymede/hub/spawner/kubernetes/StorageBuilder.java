package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.ganymede.hub.profiles.StorageSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds each storage kind's share of a pod, purely. Nothing here needs privileges: disks and
 * Filestore are PVCs the kubelet mounts, and GCSFuse runs in the sidecar GKE injects.
 */
public final class StorageBuilder {

    static final String VOLUME = "home";
    static final String GCSFUSE_DRIVER = "gcsfuse.csi.storage.gke.io";
    /** The storage kind a claim was made for (pd, filestore), for the storage pages. */
    static final String ANNOTATION_KIND = "ganymede.io/storage-kind";
    /** Label KubeSpawner and Ganymede put on users' claims. */
    static final String COMPONENT_STORAGE = "singleuser-storage";

    private StorageBuilder() {}

    public static StoragePlan build(ServerNames names, ServerSpec spec) {
        StorageSpec s = spec.storage();
        VolumeMount mount = new VolumeMountBuilder().withName(VOLUME).withMountPath(s.mountPath()).build();
        return switch (s.kind()) {
            case NONE -> StoragePlan.empty();
            case PD -> claimPlan(names, spec, "ReadWriteOnce", mount);
            case FILESTORE -> {
                if (!s.shared()) {
                    yield claimPlan(names, spec, "ReadWriteMany", mount);
                }
                // One share for all: the admin creates the claim once; each user sees their own directory.
                Volume v = new VolumeBuilder().withName(VOLUME).withNewPersistentVolumeClaim()
                        .withClaimName(s.claimName()).endPersistentVolumeClaim().build();
                VolumeMount m = new VolumeMountBuilder(mount).withSubPath(names.expand(s.subPath())).build();
                yield new StoragePlan(List.of(v), List.of(m), null, Map.of(), Map.of(), null);
            }
            case GCSFUSE -> {
                Volume v = new VolumeBuilder().withName(VOLUME).withNewCsi().withDriver(GCSFUSE_DRIVER)
                        .withReadOnly(false)
                        .withVolumeAttributes(Map.of("bucketName", names.expand(s.bucket()),
                                "mountOptions", s.mountOptions()))
                        .endCsi().build();
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put("gke-gcsfuse/volumes", "true");
                s.sidecar().forEach((k, q) -> annotations.put("gke-gcsfuse/" + k.replace('_', '-'), q));
                // The driver authenticates with Workload Identity, served by the GKE metadata server.
                yield new StoragePlan(List.of(v), List.of(mount), null, annotations,
                        Map.of("iam.gke.io/gke-metadata-server-enabled", "true"), names.expand(s.serviceAccount()));
            }
        };
    }

    private static StoragePlan claimPlan(ServerNames names, ServerSpec spec, String accessMode, VolumeMount mount) {
        PersistentVolumeClaim pvc = pvc(names, spec, accessMode);
        Volume v = new VolumeBuilder().withName(VOLUME).withNewPersistentVolumeClaim()
                .withClaimName(names.pvcName()).endPersistentVolumeClaim().build();
        return new StoragePlan(List.of(v), List.of(mount), pvc, Map.of(), Map.of(), null);
    }

    /** The raw names, as on the pod, and what the claim was made for: its profile and storage kind. */
    private static Map<String, String> annotations(ServerNames names, ServerSpec spec) {
        Map<String, String> a = PodBuilder.rawNameAnnotations(names);
        if (spec.profile() != null) {
            a.put(PodBuilder.ANNOTATION_PROFILE, spec.profile());
        }
        a.put(ANNOTATION_KIND, spec.storage().kind().id());
        return a;
    }

    /** The per-user claim, labelled as KubeSpawner labels its PVCs so existing ones are recognised. */
    static PersistentVolumeClaim pvc(ServerNames names, ServerSpec spec, String accessMode) {
        StorageSpec s = spec.storage();
        String storageClass = spec.storageClass() != null ? spec.storageClass() : s.storageClass();
        String size = spec.storageCapacity() != null ? spec.storageCapacity() : s.size();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PodBuilder.LABEL_USERNAME, names.userLabel());
        labels.put("app.kubernetes.io/component", PodBuilder.COMPONENT);
        labels.put("component", COMPONENT_STORAGE);
        PodBuilder.addCommonLabels(labels);
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(names.pvcName()).withNamespace(names.namespace())
                .withLabels(labels).withAnnotations(annotations(names, spec)).endMetadata()
                .withNewSpec().withAccessModes(accessMode).withStorageClassName(storageClass)
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
                .endSpec().build();
    }
}
