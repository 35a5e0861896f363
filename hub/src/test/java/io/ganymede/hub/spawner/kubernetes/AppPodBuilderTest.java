package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.ganymede.hub.services.AppDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A managed app's pod, field by field: a user pod's safety, the app's own identity, command and storage. */
class AppPodBuilderTest {

    static final AppDefinition TENSORBOARD = new AppDefinition("TensorBoard_team", "tensorflow/tensorflow:2.20.0",
            List.of("tensorboard"), List.of("--logdir=/data/runs", "--path_prefix={prefix_no_slash}", "--host=0.0.0.0"), 6006,
            false, "{prefix}", Map.of("TB_NOTE", "served at {prefix}"), "250m", "2", "512M", "2G", "team-experiments", "/data",
            true, AppDefinition.DEFAULT_MOUNT_OPTIONS, "tensorboard-reader", List.of("data-science"), Duration.ofHours(1));

    @Test
    void theAppsPodRunsItsCommandUnderItsPrefixAsAnUnprivilegedUser() {
        Pod pod = AppPodBuilder.build(TENSORBOARD, "ganymede", PodBuilderTest.DEFAULTS);
        assertEquals("service-tensorboard-team", AppPodBuilder.podName("TensorBoard_team").substring(0, "service-tensorboard-team".length()));
        assertEquals(AppPodBuilder.podName("TensorBoard_team"), pod.getMetadata().getName());
        assertEquals("ganymede", pod.getMetadata().getNamespace());
        Map<String, String> labels = pod.getMetadata().getLabels();
        assertEquals("team-app", labels.get("component"));
        assertEquals("ganymede", labels.get("app.kubernetes.io/managed-by"));
        assertEquals("jupyterhub", labels.get("app"));
        assertFalse(labels.containsKey(PodBuilder.LABEL_USERNAME), "not a user's server: " + labels);
        assertFalse(labels.containsKey("hub.jupyter.org/network-access-hub"), "an app needs no way to the hub: " + labels);
        assertEquals("TensorBoard_team", pod.getMetadata().getAnnotations().get(AppPodBuilder.LABEL_SERVICE));
        assertTrue(labels.entrySet().containsAll(AppPodBuilder.selectorLabels().entrySet()));
        assertFalse(labels.entrySet().containsAll(PodBuilder.selectorLabels(false).entrySet()), "user servers' cache must not see it");

        Container c = pod.getSpec().getContainers().get(0);
        assertEquals("tensorflow/tensorflow:2.20.0", c.getImage());
        assertEquals(List.of("tensorboard"), c.getCommand());
        assertEquals(List.of("--logdir=/data/runs", "--path_prefix=/services/TensorBoard_team", "--host=0.0.0.0"), c.getArgs());
        assertEquals(1, c.getPorts().size());
        assertEquals(6006, c.getPorts().get(0).getContainerPort());
        assertEquals("/services/TensorBoard_team/", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(6006, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        Map<String, String> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals(Map.of("JUPYTERHUB_SERVICE_NAME", "TensorBoard_team", "JUPYTERHUB_SERVICE_PREFIX", "/services/TensorBoard_team/",
                "JUPYTERHUB_BASE_URL", "/", "TB_NOTE", "served at /services/TensorBoard_team/"), env);

        assertFalse(c.getSecurityContext().getPrivileged());
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(c.getSecurityContext().getRunAsNonRoot());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertEquals(1000L, pod.getSpec().getSecurityContext().getRunAsUser());
        assertEquals(new Quantity("250m"), c.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("2"), c.getResources().getLimits().get("cpu"));
        assertEquals(512L << 20, Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")).longValue());
        assertEquals(2L << 30, Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue());
    }

    @Test
    void theTeamsBucketIsMountedReadOnlyThroughGcsFuseWithWorkloadIdentity() {
        Pod pod = AppPodBuilder.build(TENSORBOARD, "ganymede", PodBuilderTest.DEFAULTS);
        var volume = pod.getSpec().getVolumes().get(0);
        assertEquals(StorageBuilder.GCSFUSE_DRIVER, volume.getCsi().getDriver());
        assertEquals("team-experiments", volume.getCsi().getVolumeAttributes().get("bucketName"));
        assertEquals("implicit-dirs,uid=1000,gid=100", volume.getCsi().getVolumeAttributes().get("mountOptions"));
        assertTrue(volume.getCsi().getReadOnly());
        var mount = pod.getSpec().getContainers().get(0).getVolumeMounts().get(0);
        assertEquals("/data", mount.getMountPath());
        assertTrue(mount.getReadOnly());
        assertEquals("true", pod.getMetadata().getAnnotations().get("gke-gcsfuse/volumes"));
        assertEquals("true", pod.getSpec().getNodeSelector().get("iam.gke.io/gke-metadata-server-enabled"));
        assertEquals("tensorboard-reader", pod.getSpec().getServiceAccountName());
    }

    @Test
    void withoutStorageThereIsNoVolume() {
        AppDefinition bare = new AppDefinition("mlflow", "ghcr.io/mlflow/mlflow:v3.1.0", null, null, 5000, true, "/", Map.of(),
                null, null, null, null, null, null, true, null, null, List.of(), Duration.ofMinutes(30));
        Pod pod = AppPodBuilder.build(bare, "ganymede", PodBuilderTest.DEFAULTS);
        assertTrue(pod.getSpec().getVolumes().isEmpty());
        Container c = pod.getSpec().getContainers().get(0);
        assertNull(c.getCommand(), "the image's entrypoint");
        assertEquals("/", c.getReadinessProbe().getHttpGet().getPath());
        assertNull(pod.getSpec().getNodeSelector());
        assertNull(pod.getSpec().getServiceAccountName());
    }
}
