package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.ganymede.hub.services.AppDefinition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a managed team app's pod, purely. It is a user server's pod ({@link PodBuilder}: never
 * root, never privileged, no added capabilities, the same resources and GCSFuse storage code)
 * with the app's own identity: labels that keep it out of the user servers' cache and adoption,
 * its command, port, environment and readiness path, and the bucket mounted read-only when asked.
 */
public final class AppPodBuilder {

    /** The {@code component} of app pods (user servers' is {@link PodBuilder#COMPONENT}). */
    public static final String COMPONENT = "team-app";
    /** Label and annotation naming the service (the label slugged, the annotation raw). */
    public static final String LABEL_SERVICE = "ganymede.io/service";
    static final String CONTAINER = "app";

    private AppPodBuilder() {}

    /** What the app pods' cache selects on. */
    static Map<String, String> selectorLabels() {
        return Map.of(PodBuilder.LABEL_MANAGED_BY, PodBuilder.MANAGED_BY, "component", COMPONENT);
    }

    /** The pod's name: {@code service-<name>}, slugged as KubeSpawner slugs user names. */
    public static String podName(String service) {
        return "service-" + Slugs.safeSlug(service.toLowerCase(java.util.Locale.ROOT), Slugs::isValidObjectName,
                ServerNames.SLUG_MAX_LENGTH);
    }

    /**
     * @param defaults the spawner's image pull policy, secrets, uid/gid and service account
     */
    public static Pod build(AppDefinition app, String namespace, ServerSpec.Defaults defaults) {
        String podName = podName(app.name());
        String slug = podName.substring("service-".length());
        ServerNames names = new ServerNames(app.name(), "", slug, "", slug, namespace, podName, null);
        ServerSpec spec = ServerSpec.from(specOf(app), defaults);
        StoragePlan storage = StorageBuilder.build(names, spec);
        Pod server = PodBuilder.build(names, spec, Map.of(), storage);

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("component", COMPONENT);
        labels.put("app.kubernetes.io/component", COMPONENT);
        PodBuilder.addCommonLabels(labels);
        labels.put(LABEL_SERVICE, Slugs.safeSlug(app.name(), Slugs::isValidLabel, null));
        Map<String, String> annotations = new LinkedHashMap<>(storage.podAnnotations());
        annotations.put(LABEL_SERVICE, app.name());

        Container base = server.getSpec().getContainers().get(0);
        Container container = new ContainerBuilder(base)
                .withName(CONTAINER)
                .withCommand(app.expand(app.command()))
                .withArgs(app.expand(app.args()))
                .withPorts().addNewPort().withName("http").withContainerPort(app.port()).withProtocol("TCP").endPort()
                .withEnv(env(app))
                .withVolumeMounts(base.getVolumeMounts().stream()
                        .map(m -> new VolumeMountBuilder(m).withReadOnly(app.readOnly() ? Boolean.TRUE : null).build()).toList())
                .editReadinessProbe().editHttpGet().withPath(app.expand(app.readyPath()))
                    .withNewPort(app.port()).endHttpGet().endReadinessProbe()
                .build();
        List<Volume> volumes = server.getSpec().getVolumes().stream()
                .map(v -> v.getCsi() == null || !app.readOnly() ? v
                        : new VolumeBuilder(v).editCsi().withReadOnly(true).endCsi().build())
                .toList();
        return new io.fabric8.kubernetes.api.model.PodBuilder(server)
                .editMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                .editSpec().withContainers(container).withVolumes(volumes).endSpec()
                .build();
    }

    /** The app's definition in the keys {@link ServerSpec#from} reads (those of a profile's override). */
    private static Map<String, Object> specOf(AppDefinition app) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("image", app.image());
        putIf(spec, "cpu_guarantee", app.cpuGuarantee());
        putIf(spec, "cpu_limit", app.cpuLimit());
        putIf(spec, "mem_guarantee", app.memGuarantee());
        putIf(spec, "mem_limit", app.memLimit());
        if (app.bucket() != null) {
            Map<String, Object> storage = new LinkedHashMap<>();
            storage.put("kind", "gcsfuse");
            storage.put("bucket", app.bucket());
            storage.put("mount_path", app.mountPath());
            storage.put("mount_options", app.mountOptions());
            putIf(storage, "service_account", app.serviceAccount());
            spec.put("storage", storage);
        }
        return spec;
    }

    /** What JupyterHub gives the services it runs, then the app's own variables (which may override). */
    static List<EnvVar> env(AppDefinition app) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JUPYTERHUB_SERVICE_NAME", app.name());
        env.put("JUPYTERHUB_SERVICE_PREFIX", app.prefix());
        env.put("JUPYTERHUB_BASE_URL", "/");
        app.env().forEach((k, v) -> env.put(k, app.expand(v)));
        return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
    }

    /** The defaults {@link #build} takes, from the spawner's configuration. */
    static ServerSpec.Defaults defaults(KubernetesConfig config, Duration startTimeout) {
        return ServerSpec.Defaults.of(config, startTimeout);
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
