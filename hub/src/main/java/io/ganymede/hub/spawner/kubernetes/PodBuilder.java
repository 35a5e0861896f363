package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ganymede.hub.profiles.Quantities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a user server's pod from plain values, the way KubeSpawner's {@code make_pod} does: no
 * client, no cluster, so every field can be tested. The container never runs as root, never
 * privileged, and cannot gain privileges.
 */
public final class PodBuilder {

    public static final String LABEL_USERNAME = "hub.jupyter.org/username";
    public static final String LABEL_SERVERNAME = "hub.jupyter.org/servername";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "ganymede";
    public static final String COMPONENT = "singleuser-server";
    public static final String ANNOTATION_PROFILE = "ganymede.io/profile";
    public static final String ANNOTATION_APP = "ganymede.io/app";
    static final String CONTAINER = "notebook";

    private PodBuilder() {}

    /**
     * KubeSpawner's {@code common_labels} on pods and PVCs, except {@code managed-by}: Ganymede's
     * own value keeps its informers off KubeSpawner's pods, while selectors and network policies
     * written for z2jh ({@code app: jupyterhub}, {@code component}) still match.
     */
    static void addCommonLabels(Map<String, String> labels) {
        labels.put("app.kubernetes.io/name", "jupyterhub");
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        labels.put("app", "jupyterhub");
        labels.put("heritage", "jupyterhub");
    }

    /**
     * The labels the informers select on: every Ganymede user pod has them; with
     * {@code kubeSpawnerToo}, KubeSpawner's pods (moving from z2jh) have the component label too.
     */
    public static Map<String, String> selectorLabels(boolean kubeSpawnerToo) {
        return kubeSpawnerToo ? Map.of("component", COMPONENT) : Map.of(LABEL_MANAGED_BY, MANAGED_BY, "component", COMPONENT);
    }

    /**
     * @param hubEnv the Contract 3 environment the hub built ({@code SpawnRequest.environment})
     */
    public static Pod build(ServerNames names, ServerSpec spec, Map<String, String> hubEnv, StoragePlan storage) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_USERNAME, names.userLabel());
        labels.put(LABEL_SERVERNAME, names.serverLabel());
        labels.put("component", COMPONENT);
        labels.put("app.kubernetes.io/component", COMPONENT);
        addCommonLabels(labels);
        // z2jh's network policies let pods with this label reach the hub.
        labels.put("hub.jupyter.org/network-access-hub", "true");
        spec.extraLabels().forEach((k, v) -> labels.put(k, names.expand(v)));

        Map<String, String> annotations = rawNameAnnotations(names);
        if (spec.profile() != null) {
            annotations.put(ANNOTATION_PROFILE, spec.profile());
        }
        annotations.put(ANNOTATION_APP, spec.app().id());
        annotations.putAll(storage.podAnnotations());
        spec.extraAnnotations().forEach((k, v) -> annotations.put(k, names.expand(v)));

        Map<String, String> nodeSelector = new LinkedHashMap<>(spec.nodeSelector());
        nodeSelector.putAll(storage.nodeSelector());

        String serviceAccount = storage.serviceAccount() != null ? storage.serviceAccount() : spec.serviceAccount();

        List<Volume> volumes = new ArrayList<>(storage.volumes());
        spec.volumes().forEach(v -> volumes.add(convert(expandAll(v, names), Volume.class)));
        List<VolumeMount> mounts = new ArrayList<>(storage.mounts());
        spec.volumeMounts().forEach(m -> mounts.add(convert(expandAll(m, names), VolumeMount.class)));

        String prefix = hubEnv.getOrDefault("JUPYTERHUB_SERVICE_PREFIX", "/user/" + names.user() + "/");
        int port = spec.app().port();
        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(spec.image())
                .withImagePullPolicy(spec.imagePullPolicy())
                .withCommand(spec.cmd() != null ? spec.cmd() : AppLaunch.command(spec.app()))
                .withArgs(spec.args() != null ? spec.args() : AppLaunch.args(spec.app()))
                .withWorkingDir(spec.workingDir() == null ? null : names.expand(spec.workingDir()))
                .addNewPort().withName("http").withContainerPort(port).withProtocol("TCP").endPort()
                .withEnv(env(names, spec, hubEnv, prefix))
                .withResources(resources(spec))
                .withVolumeMounts(mounts)
                .withNewSecurityContext()
                    .withRunAsUser(spec.uid()).withRunAsGroup(spec.gid()).withRunAsNonRoot(true)
                    .withPrivileged(false).withAllowPrivilegeEscalation(false)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .withNewReadinessProbe()
                    .withNewHttpGet().withPath(AppLaunch.probePath(spec.app(), prefix))
                        .withNewPort(port).endHttpGet()
                    .withPeriodSeconds(2).withFailureThreshold(3).withTimeoutSeconds(2)
                .endReadinessProbe()
                .build();

        return new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName(names.podName()).withNamespace(names.namespace())
                    .withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .withContainers(container)
                    .withRestartPolicy("OnFailure")
                    .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                    .withTolerations(spec.tolerations().stream().map(t -> convert(t, Toleration.class)).toList())
                    .withAffinity(affinity(spec))
                    .withVolumes(volumes)
                    .withServiceAccountName(serviceAccount)
                    .withAutomountServiceAccountToken(spec.automountServiceAccountToken() != null
                            ? spec.automountServiceAccountToken() : serviceAccount != null)
                    .withImagePullSecrets(spec.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
                    .withPriorityClassName(spec.priorityClassName())
                    .withNewSecurityContext()
                        .withRunAsUser(spec.uid()).withRunAsGroup(spec.gid()).withFsGroup(spec.fsGid())
                        .withRunAsNonRoot(true)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                .endSpec()
                .build();
    }

    static Map<String, String> rawNameAnnotations(ServerNames names) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(LABEL_USERNAME, names.user());
        if (!names.server().isEmpty()) {
            a.put(LABEL_SERVERNAME, names.server());
        }
        return a;
    }

    /**
     * The hub's environment, then what a single-user server reads about its pod, then the profile's
     * {@code environment} last so an admin can override anything (KubeSpawner's order).
     */
    static List<EnvVar> env(ServerNames names, ServerSpec spec, Map<String, String> hubEnv, String prefix) {
        Map<String, String> env = new LinkedHashMap<>(hubEnv);
        // The hub cannot know the pod's address; the server must listen on all interfaces.
        env.put("JUPYTERHUB_SERVICE_URL", "http://0.0.0.0:" + spec.app().port() + prefix);
        if (spec.memLimit() != null) {
            env.put("MEM_LIMIT", String.valueOf(spec.memLimit()));
        }
        if (spec.memGuarantee() != null) {
            env.put("MEM_GUARANTEE", String.valueOf(spec.memGuarantee()));
        }
        if (spec.cpuLimit() != null) {
            env.put("CPU_LIMIT", Quantities.cores(spec.cpuLimit()));
        }
        if (spec.cpuGuarantee() != null) {
            env.put("CPU_GUARANTEE", Quantities.cores(spec.cpuGuarantee()));
        }
        env.put("JUPYTER_IMAGE", spec.image());
        env.put("JUPYTER_IMAGE_SPEC", spec.image());
        if (spec.defaultUrl() != null) {
            env.put("JUPYTERHUB_DEFAULT_URL", spec.defaultUrl());
        }
        spec.environment().forEach((k, v) -> env.put(k, names.expand(v)));
        return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
    }

    static ResourceRequirements resources(ServerSpec spec) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (spec.cpuGuarantee() != null) {
            requests.put("cpu", new Quantity(Quantities.cpu(spec.cpuGuarantee())));
        }
        if (spec.memGuarantee() != null) {
            requests.put("memory", new Quantity(String.valueOf(spec.memGuarantee())));
        }
        spec.extraResourceGuarantees().forEach((k, v) -> requests.put(k, new Quantity(v)));
        if (spec.cpuLimit() != null) {
            limits.put("cpu", new Quantity(Quantities.cpu(spec.cpuLimit())));
        }
        if (spec.memLimit() != null) {
            limits.put("memory", new Quantity(String.valueOf(spec.memLimit())));
        }
        spec.extraResourceLimits().forEach((k, v) -> limits.put(k, new Quantity(v)));
        return new ResourceRequirements(null, limits.isEmpty() ? null : limits, requests.isEmpty() ? null : requests);
    }

    static Affinity affinity(ServerSpec spec) {
        if (spec.nodeAffinityRequired().isEmpty() && spec.nodeAffinityPreferred().isEmpty()) {
            return null;
        }
        var node = new AffinityBuilder().withNewNodeAffinity();
        if (!spec.nodeAffinityRequired().isEmpty()) {
            node = node.withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(spec.nodeAffinityRequired().stream()
                            .map(t -> convert(t, NodeSelectorTerm.class)).toList())
                    .endRequiredDuringSchedulingIgnoredDuringExecution();
        }
        if (!spec.nodeAffinityPreferred().isEmpty()) {
            node = node.withPreferredDuringSchedulingIgnoredDuringExecution(spec.nodeAffinityPreferred().stream()
                    .map(t -> convert(t, PreferredSchedulingTerm.class)).toList());
        }
        return node.endNodeAffinity().build();
    }

    @SuppressWarnings("unchecked")
    private static Object expandAll(Object v, ServerNames names) {
        if (v instanceof String s) {
            return names.expand(s);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), expandAll(x, names)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(x -> expandAll(x, names)).toList();
        }
        return v;
    }

    private static <T> T convert(Object value, Class<T> type) {
        return Serialization.jsonMapper().convertValue(value, type);
    }
}
