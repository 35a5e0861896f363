package io.ganymede.e2e.testbed;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
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
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for GKE's CSI provisioners (Persistent Disk and Filestore): for each claim the
 * controller manager hands to one of them (the {@code volume.kubernetes.io/storage-provisioner}
 * annotation; for a WaitForFirstConsumer class only once the scheduler picked a node), it makes a
 * volume backed by a folder of the test bed and lets the real PV controller bind the two. The
 * storage classes are GKE's: {@code standard-rwo} and {@code premium-rwo} (disks) and
 * {@code standard-rwx} (Filestore), all WaitForFirstConsumer.
 */
final class VolumeProvisioner implements AutoCloseable {

    static final String PD = "pd.csi.storage.gke.io";
    static final String FILESTORE = "filestore.csi.storage.gke.io";
    private static final Set<String> PROVISIONERS = Set.of(PD, FILESTORE);
    private static final String PROVISIONER_ANNOTATION = "volume.kubernetes.io/storage-provisioner";

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

    @Override
    public void close() {
        informer.close();
    }
}
