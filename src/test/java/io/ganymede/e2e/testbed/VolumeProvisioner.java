package io.ganymede.e2e.testbed;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimCondition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for GKE's CSI provisioners (Persistent Disk and Filestore): for each claim the
 * controller manager hands to one of them (the {@code volume.kubernetes.io/storage-provisioner}
 * annotation; for a WaitForFirstConsumer class only once the scheduler picked a node), it makes a
 * volume backed by a folder of the test bed and lets the real PV controller bind the two. The
 * storage classes are GKE's: {@code standard-rwo} and {@code premium-rwo} (disks) and
 * {@code standard-rwx} (Filestore), all WaitForFirstConsumer and allowing volume expansion.
 *
 * <p>It also plays the CSI external-resizer and the kubelet's share of an expansion, as GKE does
 * it for a disk: when a bound claim asks for more than its volume has, the volume's capacity
 * becomes the request (the "disk" grows; a folder has no size to change) and the claim gets the
 * {@code FileSystemResizePending} condition, its {@code status.capacity} still the old size.
 * When a pod next mounts the claim ({@link #mounted}, called by the stand-in kubelet), the file
 * system "grows": {@code status.capacity} becomes the volume's and the condition goes. That is
 * offline expansion, the file system growing at the next mount; GKE's PD driver can also expand
 * online, clearing the condition while the pod runs, which the stand-in does not do.
 */
final class VolumeProvisioner implements AutoCloseable {

    static final String PD = "pd.csi.storage.gke.io";
    static final String FILESTORE = "filestore.csi.storage.gke.io";
    private static final Set<String> PROVISIONERS = Set.of(PD, FILESTORE);
    private static final String PROVISIONER_ANNOTATION = "volume.kubernetes.io/storage-provisioner";
    private static final String RESIZE_PENDING = "FileSystemResizePending";

    private final KubernetesClient client;
    private final Path volumes;
    private final SharedIndexInformer<PersistentVolumeClaim> informer;

    VolumeProvisioner(KubernetesClient client, Path volumes) {
        this.client = client;
        this.volumes = volumes;
        storageClass("standard-rwo", PD, Map.of("type", "pd-balanced"));
        storageClass("premium-rwo", PD, Map.of("type", "pd-ssd"));
        storageClass("standard-rwx", FILESTORE, Map.of("tier", "standard"));
        informer = client.persistentVolumeClaims().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PersistentVolumeClaim claim) {
                provision(claim);
            }

            @Override
            public void onUpdate(PersistentVolumeClaim before, PersistentVolumeClaim claim) {
                provision(claim);
                expand(claim);
            }

            @Override
            public void onDelete(PersistentVolumeClaim claim, boolean unknownFinalState) {
                // The PV controller deletes the volume object (reclaim policy Delete); its folder stays
                // with the test bed's, as a deleted disk's snapshot would.
            }
        });
    }

    private void storageClass(String name, String provisioner, Map<String, String> parameters) {
        client.storage().v1().storageClasses().resource(new StorageClassBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withProvisioner(provisioner).withParameters(parameters)
                .withVolumeBindingMode("WaitForFirstConsumer").withReclaimPolicy("Delete")
                .withAllowVolumeExpansion(true)
                .build()).serverSideApply();
    }

    /** The folder that backs a provisioned volume. */
    Path folder(String volumeName) {
        return volumes.resolve(volumeName);
    }

    private void provision(PersistentVolumeClaim claim) {
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        String provisioner = annotations == null ? null : annotations.get(PROVISIONER_ANNOTATION);
        if (provisioner == null || !PROVISIONERS.contains(provisioner) || claim.getSpec().getVolumeName() != null
                || claim.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String name = "pvc-" + claim.getMetadata().getUid();
        if (client.persistentVolumes().withName(name).get() != null) {
            return;
        }
        Path folder = folder(name);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Quantity size = claim.getSpec().getResources().getRequests().get("storage");
        try {
            client.persistentVolumes().resource(new PersistentVolumeBuilder()
                    .withNewMetadata().withName(name)
                        .addToAnnotations("pv.kubernetes.io/provisioned-by", provisioner).endMetadata()
                    .withNewSpec()
                        .addToCapacity("storage", size)
                        .withAccessModes(claim.getSpec().getAccessModes())
                        .withStorageClassName(claim.getSpec().getStorageClassName())
                        .withPersistentVolumeReclaimPolicy("Delete")
                        .withNewClaimRef().withNamespace(claim.getMetadata().getNamespace())
                            .withName(claim.getMetadata().getName()).withUid(claim.getMetadata().getUid()).endClaimRef()
                        .withNewHostPath().withPath(folder.toString()).withType("Directory").endHostPath()
                    .endSpec()
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** The resizer's part: the volume grows to the claim's request, the file system waits for a mount. */
    private void expand(PersistentVolumeClaim claim) {
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName == null || claim.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        PersistentVolume volume = client.persistentVolumes().withName(volumeName).get();
        Quantity requested = claim.getSpec().getResources().getRequests().get("storage");
        if (volume == null || requested == null || !PROVISIONERS.contains(provisionedBy(volume))
                || bytes(requested) <= bytes(volume.getSpec().getCapacity().get("storage"))) {
            return;
        }
        client.persistentVolumes().withName(volumeName).edit(v -> {
            v.getSpec().getCapacity().put("storage", requested);
            return v;
        });
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).editStatus(c -> {
                    c.getStatus().setAllocatedResources(new java.util.HashMap<>(Map.of("storage", requested)));
                    List<PersistentVolumeClaimCondition> conditions = new ArrayList<>(c.getStatus().getConditions() == null
                            ? List.of() : c.getStatus().getConditions());
                    conditions.removeIf(k -> RESIZE_PENDING.equals(k.getType()));
                    conditions.add(new PersistentVolumeClaimConditionBuilder().withType(RESIZE_PENDING).withStatus("True")
                            .withMessage("Waiting for user to (re-)start a pod to finish file system resize of volume on node.")
                            .withLastTransitionTime(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                            .build());
                    c.getStatus().setConditions(conditions);
                    return c;
                });
    }

    /**
     * The kubelet's part, when a pod mounts the claim: a pending file system resize finishes, the
     * claim's capacity becomes its volume's.
     */
    void mounted(PersistentVolumeClaim claim) {
        var status = claim.getStatus();
        if (status == null || status.getConditions() == null
                || status.getConditions().stream().noneMatch(k -> RESIZE_PENDING.equals(k.getType()))) {
            return;
        }
        PersistentVolume volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).editStatus(c -> {
                    c.getStatus().getCapacity().put("storage", volume.getSpec().getCapacity().get("storage"));
                    c.getStatus().getConditions().removeIf(k -> RESIZE_PENDING.equals(k.getType()));
                    return c;
                });
    }

    private static String provisionedBy(PersistentVolume volume) {
        Map<String, String> a = volume.getMetadata().getAnnotations();
        return a == null ? null : a.get("pv.kubernetes.io/provisioned-by");
    }

    private static long bytes(Quantity q) {
        return Quantity.getAmountInBytes(q).longValue();
    }

    @Override
    public void close() {
        informer.close();
    }
}
