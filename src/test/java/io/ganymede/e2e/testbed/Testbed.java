package io.ganymede.e2e.testbed;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Kubernetes control plane on loopback with fake GKE nodes, a stand-in kubelet that runs
 * pods as local processes and a stand-in disk and Filestore provisioner: one per test JVM, started
 * by the first test that asks and stopped when the JVM exits. See {@code src/test/README.md}.
 */
public final class Testbed {

    private static final String HUB_ACCOUNT = "ganymede-hub";
    private static Testbed shared;

    private final ControlPlane controlPlane;
    private final KubernetesClient client;
    private final StandInKubelet kubelet;
    private final VolumeProvisioner volumes;

    private Testbed(Path root) throws Exception {
        controlPlane = new ControlPlane(root, Files.createTempDirectory("ganymede-testbed"));
        try {
            client = controlPlane.client();
            FakeNodes.register(client);
            volumes = new VolumeProvisioner(client, controlPlane.dir.resolve("volumes"));
            kubelet = new StandInKubelet(client, controlPlane.dir, volumes, this::bucketFolder);
            Files.createDirectories(controlPlane.dir.resolve("pods"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kubelet.close();
                volumes.close();
                client.close();
                try {
                    controlPlane.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        } catch (Exception | Error e) {
            String logs = controlPlane.logs();
            controlPlane.close();
            throw new IllegalStateException("the test bed did not come up: " + e + "\n" + logs, e);
        }
    }

    /** The test bed of this JVM, started on first use. {@code root}: the project's folder. */
    public static synchronized Testbed shared(Path root) throws Exception {
        if (shared == null) {
            shared = new Testbed(root);
        }
        return shared;
    }

    /** An admin client of the API server. */
    public KubernetesClient client() {
        return client;
    }

    /** The admin kubeconfig, for a hub's {@code KUBECONFIG}. */
    public Path kubeconfig() {
        return controlPlane.kubeconfig;
    }

    public StandInKubelet kubelet() {
        return kubelet;
    }

    /**
     * A new namespace for one test class, labelled as the k8s/ manifests label Ganymede's: Pod
     * Security "baseline" enforced and "restricted" warned.
     */
    public String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("pod-security.kubernetes.io/enforce", "baseline",
                        "pod-security.kubernetes.io/warn", "restricted"))
                .endMetadata().build()).create();
        return name;
    }

    /** The folder behind a provisioned volume (a disk or a Filestore share). */
    public Path volumeFolder(String volumeName) {
        return volumes.folder(volumeName);
    }

    /** The folder behind a GCSFuse bucket. */
    public Path bucketFolder(String bucket) {
        return controlPlane.dir.resolve("buckets").resolve(bucket);
    }

    /**
     * A kubeconfig for a hub deployed as {@code k8s/} deploys it in {@code namespace}: the
     * service account {@code ganymede-hub} with the Role and ClusterRole of
     * {@code k8s/base/hub-rbac.yaml} (cluster-wide objects get the namespace in their names, so
     * every test class has its own), through a token the API server issues for it.
     */
    public Path hubKubeconfig(Path root, String namespace) throws Exception {
        return hubKubeconfig(root, namespace, client.getConfiguration().getMasterUrl());
    }

    /**
     * The environment of a hub on this test bed: the kubernetes spawner in {@code namespace}, with
     * the rights of {@link #hubKubeconfig} only, and the example {@code profiles/profiles.yaml};
     * {@code more} (its admin token, its limits) comes on top.
     */
    public Map<String, String> hubEnv(Path root, String namespace, Map<String, String> more) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "GANYMEDE_SPAWNER_KIND", "kubernetes",
                "KUBECONFIG", hubKubeconfig(root, namespace).toString(),
                "GANYMEDE_KUBERNETES_NAMESPACE", namespace,
                "GANYMEDE_PROFILES_PATH", root.resolve("profiles/profiles.yaml").toString()));
        env.putAll(more);
        return env;
    }

    /** The same, with the API server reached at {@code server} (e.g. through {@link ApiFaults}). */
    public Path hubKubeconfig(Path root, String namespace, String server) throws Exception {
        client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(HUB_ACCOUNT).endMetadata().build()).create();
        List<HasMetadata> rbac;
        try (InputStream manifests = Files.newInputStream(root.resolve("k8s/base/hub-rbac.yaml"))) {
            rbac = client.load(manifests).items();
        }
        for (HasMetadata object : rbac) {
            if (object instanceof ClusterRole || object instanceof ClusterRoleBinding) {
                object.getMetadata().setName(object.getMetadata().getName() + "-" + namespace);
            } else {
                object.getMetadata().setNamespace(namespace);
            }
            if (object instanceof ClusterRoleBinding binding) {
                binding.getRoleRef().setName(binding.getRoleRef().getName() + "-" + namespace);
                binding.getSubjects().forEach(subject -> subject.setNamespace(namespace));
            }
            client.resource(object).create();
        }
        String token = client.serviceAccounts().inNamespace(namespace).withName(HUB_ACCOUNT)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24 * 3600L).endSpec().build())
                .getStatus().getToken();
        Path kubeconfig = controlPlane.dir.resolve("kubeconfig-" + namespace);
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: testbed, cluster: {server: "%s", certificate-authority: "%s"}}]
                users: [{name: %s, user: {token: "%s"}}]
                contexts: [{name: testbed, context: {cluster: testbed, user: %s, namespace: %s}}]
                current-context: testbed
                """.formatted(server, controlPlane.dir.resolve("certs/apiserver.crt"),
                HUB_ACCOUNT, token, HUB_ACCOUNT, namespace));
        return kubeconfig;
    }

    /**
     * Restarts the API server: killed, down for {@code down}, started again on the same port and
     * etcd data; returns once it is ready. The other components reconnect on their own.
     */
    public void restartApiServer(java.time.Duration down) throws Exception {
        controlPlane.restartApiServer(down, client);
    }

    /** A fault-injecting proxy in front of the API server; close it after use. */
    public ApiFaults apiFaults() throws Exception {
        return new ApiFaults(java.net.URI.create(client.getConfiguration().getMasterUrl()),
                controlPlane.dir.resolve("certs/apiserver.crt"));
    }

    /** The control plane's logs, for a failure message. */
    public String logs() {
        return controlPlane.logs();
    }
}
