package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.profiles.ResolvedProfile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The objects built for each example profile in profiles/profiles.yaml, field by field. */
class PodBuilderTest {

    static final ProfileCatalog EXAMPLES = new ProfileCatalog(Path.of("../profiles/profiles.yaml"), Clock.systemUTC());
    static final ServerSpec.Defaults DEFAULTS = new ServerSpec.Defaults("base:1", "IfNotPresent", List.of("regcred"),
            null, 1000, 100, 100, Duration.ofSeconds(300));
    static final Map<String, String> HUB_ENV = Map.of(
            "JUPYTERHUB_API_TOKEN", "secret",
            "JUPYTERHUB_SERVICE_PREFIX", "/user/Alice.Smith@example.com/",
            "JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:0/user/Alice.Smith@example.com/");

    record Built(ServerNames names, ServerSpec spec, StoragePlan storage, Pod pod) {
        Container container() {
            return pod.getSpec().getContainers().get(0);
        }

        Map<String, String> env() {
            return container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue,
                    (a, b) -> b, LinkedHashMap::new));
        }
    }

    static Built build(String profile, String server) {
        ResolvedProfile r = EXAMPLES.resolve(Map.of("profile", profile), Set.of(), true);
        ServerNames names = ServerNames.of("Alice.Smith@example.com", server, "jupyter-{user_server}",
                "claim-{user_server}", "ganymede", false);
        ServerSpec spec = ServerSpec.from(r.spec(), DEFAULTS);
        StoragePlan storage = StorageBuilder.build(names, spec);
        return new Built(names, spec, storage, PodBuilder.build(names, spec, HUB_ENV, storage));
    }

    @Test
    void cpuSmallWithPersistentDisk() {
        Built b = build("cpu-small", "");
        Pod pod = b.pod();
        assertEquals("jupyter-alice-smith-example-com---66da998b", pod.getMetadata().getName());
        assertEquals("ganymede", pod.getMetadata().getNamespace());
        assertEquals(Map.of(
                "hub.jupyter.org/username", "alice-smith-example-c---66da998b",
                "hub.jupyter.org/servername", "",
                "component", "singleuser-server",
                "app.kubernetes.io/component", "singleuser-server",
                "app.kubernetes.io/name", "jupyterhub",
                "app.kubernetes.io/managed-by", "ganymede",
                "app", "jupyterhub",
                "heritage", "jupyterhub",
                "hub.jupyter.org/network-access-hub", "true"), pod.getMetadata().getLabels());
        assertEquals(Map.of("hub.jupyter.org/username", "Alice.Smith@example.com", "ganymede.io/profile", "cpu-small",
                "ganymede.io/app", "jupyterlab"), pod.getMetadata().getAnnotations());

        Container c = b.container();
        assertEquals("notebook", c.getName());
        assertEquals("quay.io/jupyter/scipy-notebook:2025-10-20", c.getImage());
        assertEquals("IfNotPresent", c.getImagePullPolicy());
        assertTrue(c.getCommand() == null || c.getCommand().isEmpty(), "the image starts jupyterhub-singleuser itself");
        assertEquals(8888, c.getPorts().get(0).getContainerPort());
        assertEquals(Map.of("cpu", new Quantity("2"), "memory", new Quantity("8589934592")), c.getResources().getLimits());
        assertEquals(Map.of("cpu", new Quantity("0.5"), "memory", new Quantity("2147483648")), c.getResources().getRequests());

        Map<String, String> env = b.env();
        assertEquals("secret", env.get("JUPYTERHUB_API_TOKEN"));
        assertEquals("http://0.0.0.0:8888/user/Alice.Smith@example.com/", env.get("JUPYTERHUB_SERVICE_URL"));
        assertEquals("8589934592", env.get("MEM_LIMIT"));
        assertEquals("2147483648", env.get("MEM_GUARANTEE"));
        assertEquals("2", env.get("CPU_LIMIT"));
        assertEquals("0.5", env.get("CPU_GUARANTEE"));
        assertEquals("quay.io/jupyter/scipy-notebook:2025-10-20", env.get("JUPYTER_IMAGE"));
        assertEquals("my-project", env.get("GOOGLE_CLOUD_PROJECT"));

        // Never root, never privileged.
        var csc = c.getSecurityContext();
        assertEquals(1000L, csc.getRunAsUser());
        assertEquals(100L, csc.getRunAsGroup());
        assertTrue(csc.getRunAsNonRoot());
        assertFalse(csc.getPrivileged());
        assertFalse(csc.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), csc.getCapabilities().getDrop());
        var psc = pod.getSpec().getSecurityContext();
        assertEquals(100L, psc.getFsGroup());
        assertEquals(1000L, psc.getRunAsUser());
        assertTrue(psc.getRunAsNonRoot());

        assertEquals("/user/Alice.Smith@example.com/api", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(8888, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals(List.of("regcred"), pod.getSpec().getImagePullSecrets().stream().map(r -> r.getName()).toList());
        assertNull(pod.getSpec().getNodeSelector());
        assertNull(pod.getSpec().getServiceAccountName());
        assertFalse(pod.getSpec().getAutomountServiceAccountToken());

        // The disk: claim-{user_server}, ReadWriteOnce, mounted as home.
        PersistentVolumeClaim pvc = b.storage().claimToEnsure();
        assertEquals("claim-alice-smith-example-com---66da998b", pvc.getMetadata().getName());
        assertEquals("ganymede", pvc.getMetadata().getNamespace());
        assertEquals(List.of("ReadWriteOnce"), pvc.getSpec().getAccessModes());
        assertEquals("standard-rwo", pvc.getSpec().getStorageClassName());
        assertEquals(new Quantity("10Gi"), pvc.getSpec().getResources().getRequests().get("storage"));
        assertEquals(Map.of("hub.jupyter.org/username", "alice-smith-example-c---66da998b",
                "component", "singleuser-storage", "app.kubernetes.io/component", "singleuser-server",
                "app.kubernetes.io/name", "jupyterhub", "app.kubernetes.io/managed-by", "ganymede",
                "app", "jupyterhub", "heritage", "jupyterhub"), pvc.getMetadata().getLabels());
        assertEquals("Alice.Smith@example.com", pvc.getMetadata().getAnnotations().get("hub.jupyter.org/username"));
        assertEquals(1, pod.getSpec().getVolumes().size());
        assertEquals("home", pod.getSpec().getVolumes().get(0).getName());
        assertEquals(pvc.getMetadata().getName(), pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        assertEquals("/home/jovyan", c.getVolumeMounts().get(0).getMountPath());
        assertEquals("home", c.getVolumeMounts().get(0).getName());
    }

    @Test
    void gpuT4() {
        Built b = build("gpu-t4", "Training Run");
        Pod pod = b.pod();
        assertEquals("jupyter-alice-smith-examp--training-run---45334c5f", pod.getMetadata().getName());
        assertEquals("Training Run", pod.getMetadata().getAnnotations().get("hub.jupyter.org/servername"));
        assertEquals("training-run---f587a129", pod.getMetadata().getLabels().get("hub.jupyter.org/servername"));
        assertEquals(Map.of("cloud.google.com/gke-accelerator", "nvidia-tesla-t4"), pod.getSpec().getNodeSelector());
        Toleration t = pod.getSpec().getTolerations().get(0);
        assertEquals("nvidia.com/gpu", t.getKey());
        assertEquals("Exists", t.getOperator());
        assertEquals("NoSchedule", t.getEffect());
        assertEquals(new Quantity("1"), b.container().getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(new Quantity("8"), b.container().getResources().getLimits().get("cpu"));
        assertEquals("premium-rwo", b.storage().claimToEnsure().getSpec().getStorageClassName());
        assertEquals(new Quantity("50Gi"), b.storage().claimToEnsure().getSpec().getResources().getRequests().get("storage"));
        assertEquals(1, b.spec().gpus());
    }

    @Test
    void gpuL4WithGcsFuse() {
        Built b = build("gpu-l4", "");
        Pod pod = b.pod();
        assertEquals(Map.of("cloud.google.com/gke-accelerator", "nvidia-l4",
                "iam.gke.io/gke-metadata-server-enabled", "true"), pod.getSpec().getNodeSelector());
        var a = pod.getMetadata().getAnnotations();
        assertEquals("true", a.get("gke-gcsfuse/volumes"));
        assertEquals("500m", a.get("gke-gcsfuse/cpu-limit"));
        assertEquals("1Gi", a.get("gke-gcsfuse/memory-limit"));
        assertEquals("10Gi", a.get("gke-gcsfuse/ephemeral-storage-limit"));
        var csi = pod.getSpec().getVolumes().get(0).getCsi();
        assertEquals("gcsfuse.csi.storage.gke.io", csi.getDriver());
        assertEquals(Map.of("bucketName", "alice-smith-example-com---66da998b-notebooks",
                "mountOptions", "implicit-dirs,uid=1000,gid=100"), csi.getVolumeAttributes());
        assertEquals("notebook-user", pod.getSpec().getServiceAccountName());
        assertTrue(pod.getSpec().getAutomountServiceAccountToken());
        assertNull(b.storage().claimToEnsure());
        assertFalse(b.container().getSecurityContext().getPrivileged());
    }

    @Test
    void filestoreSharedWithSubPath() {
        Built b = build("cpu-large", "");
        assertNull(b.storage().claimToEnsure());
        assertEquals("home-shared", b.pod().getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        var m = b.container().getVolumeMounts().get(0);
        assertEquals("home/alice-smith-example-com---66da998b", m.getSubPath());
        assertEquals("/home/jovyan", m.getMountPath());
        assertEquals(Map.of("cloud.google.com/gke-nodepool", "highmem"), b.pod().getSpec().getNodeSelector());
    }

    @Test
    void filestorePerUserClaimIsReadWriteMany() {
        var spec = ServerSpec.from(Map.of("storage", Map.of("kind", "filestore")), DEFAULTS);
        var names = ServerNames.of("bob", "", "jupyter-{user_server}", "claim-{user_server}", "ganymede", false);
        PersistentVolumeClaim pvc = StorageBuilder.build(names, spec).claimToEnsure();
        assertEquals("claim-bob", pvc.getMetadata().getName());
        assertEquals(List.of("ReadWriteMany"), pvc.getSpec().getAccessModes());
        assertEquals("standard-rwx", pvc.getSpec().getStorageClassName());
        assertEquals(new Quantity("1Ti"), pvc.getSpec().getResources().getRequests().get("storage"));
    }

    @Test
    void rstudioRunsRserverAsTheUserOnItsPort() {
        Built b = build("rstudio", "");
        Container c = b.container();
        assertEquals("rocker/tidyverse:4.4", c.getImage());
        assertEquals("/usr/lib/rstudio-server/bin/rserver", c.getCommand().get(0));
        assertTrue(c.getCommand().contains("--www-port=8787"));
        assertEquals(8787, c.getPorts().get(0).getContainerPort());
        assertEquals("/", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/home/rstudio", c.getVolumeMounts().get(0).getMountPath());
        assertEquals("rstudio", b.pod().getMetadata().getAnnotations().get("ganymede.io/app"));
    }

    @Test
    void codeServerWithoutStorage() {
        Built b = build("code-server", "");
        Container c = b.container();
        assertEquals(List.of("--bind-addr", "0.0.0.0:8080", "--auth", "none"), c.getArgs());
        assertEquals("/healthz", c.getReadinessProbe().getHttpGet().getPath());
        assertTrue(b.pod().getSpec().getVolumes().isEmpty());
        assertTrue(c.getVolumeMounts().isEmpty());
        assertEquals(1000L, c.getSecurityContext().getRunAsGroup());
        assertEquals(1000L, b.pod().getSpec().getSecurityContext().getFsGroup());
    }

    /** Every override key the spawner honours lands in its pod field, as KubeSpawner's make_pod puts it. */
    @Test
    void everyOverrideReachesItsField() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("image", "ghcr.io/team/lab:7");
        raw.put("image_pull_policy", "Always");
        raw.put("image_pull_secrets", List.of("a", Map.of("name", "b")));
        raw.put("cpu_limit", "1500m");
        raw.put("cpu_guarantee", 0.25);
        raw.put("mem_limit", "512M");
        raw.put("mem_guarantee", "256Mi");
        raw.put("extra_resource_limits", Map.of("nvidia.com/gpu", 2L));
        raw.put("extra_resource_guarantees", Map.of("ephemeral-storage", "1Gi"));
        raw.put("node_selector", Map.of("pool", "users"));
        // KubeSpawner's dict form: values taken in key order.
        raw.put("tolerations", Map.of("b", Map.of("key", "dedicated", "operator", "Equal", "value", "lab", "effect", "NoSchedule"),
                "a", Map.of("key", "nvidia.com/gpu", "operator", "Exists", "effect", "NoSchedule")));
        raw.put("node_affinity_required", List.of(Map.of("matchExpressions", List.of(Map.of(
                "key", "cloud.google.com/gke-spot", "operator", "DoesNotExist")))));
        raw.put("node_affinity_preferred", List.of(Map.of("weight", 10L, "preference", Map.of("matchExpressions",
                List.of(Map.of("key", "zone", "operator", "In", "values", List.of("a")))))));
        raw.put("environment", Map.of("HOME_OWNER", "{username}", "JUPYTERHUB_API_TOKEN", "admin-wins"));
        raw.put("volumes", List.of(Map.of("name", "scratch", "emptyDir", Map.of("medium", "Memory"))));
        raw.put("volume_mounts", List.of(Map.of("name", "scratch", "mountPath", "/scratch/{username}")));
        raw.put("service_account", "lab-runner");
        raw.put("automount_service_account_token", false);
        raw.put("cmd", List.of("start-notebook.sh"));
        raw.put("args", List.of("--debug"));
        raw.put("default_url", "/lab");
        raw.put("working_dir", "/home/jovyan/{username}");
        raw.put("extra_labels", Map.of("team", "{username}"));
        raw.put("extra_annotations", Map.of("cost-center", "42"));
        raw.put("uid", 1001L);
        raw.put("gid", 1002L);
        raw.put("fs_gid", 1003L);
        raw.put("priority_class_name", "interactive");
        raw.put("app", "jupyterlab");
        ServerNames names = ServerNames.of("bob", "", "jupyter-{user_server}", "claim-{user_server}", "ganymede", false);
        ServerSpec spec = ServerSpec.from(raw, DEFAULTS);
        Pod pod = PodBuilder.build(names, spec, Map.of("JUPYTERHUB_API_TOKEN", "hub", "JUPYTERHUB_SERVICE_PREFIX", "/user/bob/"),
                StorageBuilder.build(names, spec));
        Container c = pod.getSpec().getContainers().get(0);
        assertEquals("ghcr.io/team/lab:7", c.getImage());
        assertEquals("Always", c.getImagePullPolicy());
        assertEquals(List.of("a", "b"), pod.getSpec().getImagePullSecrets().stream().map(r -> r.getName()).toList());
        assertEquals(Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("536870912"),
                "nvidia.com/gpu", new Quantity("2")), c.getResources().getLimits());
        assertEquals(Map.of("cpu", new Quantity("0.25"), "memory", new Quantity("268435456"),
                "ephemeral-storage", new Quantity("1Gi")), c.getResources().getRequests());
        assertEquals(Map.of("pool", "users"), pod.getSpec().getNodeSelector());
        assertEquals(List.of("nvidia.com/gpu", "dedicated"), pod.getSpec().getTolerations().stream().map(Toleration::getKey).toList());
        assertEquals("lab", pod.getSpec().getTolerations().get(1).getValue());
        var node = pod.getSpec().getAffinity().getNodeAffinity();
        assertEquals("cloud.google.com/gke-spot", node.getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getKey());
        assertEquals(10, node.getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getWeight());
        assertEquals(List.of("a"), node.getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getPreference()
                .getMatchExpressions().get(0).getValues());
        Map<String, String> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals("bob", env.get("HOME_OWNER"));
        assertEquals("admin-wins", env.get("JUPYTERHUB_API_TOKEN"), "the profile's environment comes last");
        assertEquals("536870912", env.get("MEM_LIMIT"));
        assertEquals("268435456", env.get("MEM_GUARANTEE"));
        assertEquals("1.5", env.get("CPU_LIMIT"));
        assertEquals("0.25", env.get("CPU_GUARANTEE"));
        assertEquals("/lab", env.get("JUPYTERHUB_DEFAULT_URL"));
        assertEquals("ghcr.io/team/lab:7", env.get("JUPYTER_IMAGE"));
        assertEquals("scratch", pod.getSpec().getVolumes().get(0).getName());
        assertEquals("Memory", pod.getSpec().getVolumes().get(0).getEmptyDir().getMedium());
        assertEquals("/scratch/bob", c.getVolumeMounts().get(0).getMountPath());
        assertEquals("lab-runner", pod.getSpec().getServiceAccountName());
        assertFalse(pod.getSpec().getAutomountServiceAccountToken());
        assertEquals(List.of("start-notebook.sh"), c.getCommand());
        assertEquals(List.of("--debug"), c.getArgs());
        assertEquals("/home/jovyan/bob", c.getWorkingDir());
        assertEquals("bob", pod.getMetadata().getLabels().get("team"));
        assertEquals("42", pod.getMetadata().getAnnotations().get("cost-center"));
        assertEquals(1001L, c.getSecurityContext().getRunAsUser());
        assertEquals(1002L, c.getSecurityContext().getRunAsGroup());
        assertEquals(1003L, pod.getSpec().getSecurityContext().getFsGroup());
        assertEquals("RuntimeDefault", pod.getSpec().getSecurityContext().getSeccompProfile().getType());
        assertEquals("interactive", pod.getSpec().getPriorityClassName());
        assertEquals("OnFailure", pod.getSpec().getRestartPolicy());
        var probe = c.getReadinessProbe();
        assertEquals("/user/bob/api", probe.getHttpGet().getPath());
        assertEquals(8888, probe.getHttpGet().getPort().getIntVal());
    }

    @Test
    void rootIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ServerSpec.from(Map.of("uid", 0L), DEFAULTS));
        assertEquals("profiles may not run servers as root (uid 0)", e.getMessage());
    }
}
