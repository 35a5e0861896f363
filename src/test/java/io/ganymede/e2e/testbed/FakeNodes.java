package io.ganymede.e2e.testbed;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of the test bed, registered as objects the way GKE's node pools label them, each with
 * a 127.x address. With no kubelet of their own they are made Ready through the status
 * subresource, and the not-ready taint the API server puts on a new node is taken off.
 */
public final class FakeNodes {

    /** A general-purpose node (GKE's default pool). */
    public static final String CPU = "gke-default-pool-1";
    /** A high-memory node, for profiles that select {@code cloud.google.com/gke-nodepool: highmem}. */
    public static final String HIGHMEM = "gke-highmem-pool-1";
    /** A node with two NVIDIA T4s, tainted as GKE taints GPU nodes. */
    public static final String GPU_T4 = "gke-gpu-t4-pool-1";
    public static final int T4_GPUS = 2;
    /** A node with one NVIDIA L4. */
    public static final String GPU_L4 = "gke-gpu-l4-pool-1";

    private FakeNodes() {}

    static void register(KubernetesClient client) {
        create(client, CPU, "default-pool", null, 16, "64Gi", 0, List.of());
        create(client, HIGHMEM, "highmem", null, 32, "256Gi", 0, List.of());
        create(client, GPU_T4, "gpu-t4", "nvidia-tesla-t4", 16, "64Gi", T4_GPUS,
                List.of(new Taint("NoSchedule", "nvidia.com/gpu", null, "present")));
        create(client, GPU_L4, "gpu-l4", "nvidia-l4", 8, "32Gi", 1,
                List.of(new Taint("NoSchedule", "nvidia.com/gpu", null, "present")));
    }

    /** Every fake node's name and address; the stand-in kubelet serves them all. */
    static final Map<String, String> ADDRESSES = Map.of(CPU, "127.2.0.1", HIGHMEM, "127.2.0.2",
            GPU_T4, "127.2.0.3", GPU_L4, "127.2.0.4");

    private static void create(KubernetesClient client, String name, String pool, String accelerator,
            int cpus, String memory, int gpus, List<Taint> taints) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("node.kubernetes.io/instance-type", gpus > 0 ? "n1-standard-16" : "n2-standard-" + cpus);
        labels.put("topology.kubernetes.io/zone", "europe-west4-a");
        labels.put("cloud.google.com/gke-nodepool", pool);
        // Pools of a cluster with Workload Identity run GKE's metadata server (GCSFuse needs it).
        labels.put("iam.gke.io/gke-metadata-server-enabled", "true");
        if (accelerator != null) {
            labels.put("cloud.google.com/gke-accelerator", accelerator);
        }
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(String.valueOf(cpus)));
        capacity.put("memory", new Quantity(memory));
        capacity.put("pods", new Quantity("110"));
        capacity.put("ephemeral-storage", new Quantity("100Gi"));
        if (gpus > 0) {
            capacity.put("nvidia.com/gpu", new Quantity(String.valueOf(gpus)));
        }
        client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withTaints(taints).endSpec()
                .build()).create();
        String ip = ADDRESSES.get(name);
        String now = Instant.now().toString();
        // Controllers touch a new node too: each change is retried on a conflict.
        retryOnConflict(() -> client.nodes().withName(name).editStatus(n -> new NodeBuilder(n).editOrNewStatus()
                .withCapacity(capacity).withAllocatable(capacity)
                .addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                    .withMessage("the test bed's stand-in kubelet is posting ready status")
                    .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                .editOrNewNodeInfo().withKubeletVersion("v1.34.4").withOperatingSystem("linux")
                    .withArchitecture("amd64").withContainerRuntimeVersion("ganymede-testbed://1")
                    .withKernelVersion("").withOsImage("").withKubeProxyVersion("")
                    .withMachineID("").withSystemUUID("").withBootID("").endNodeInfo()
                .endStatus().build()));
        // The API server taints a node not-ready when it is registered; only our taints stay.
        retryOnConflict(() -> client.nodes().withName(name)
                .edit(n -> new NodeBuilder(n).editSpec().withTaints(taints).endSpec().build()));
    }

    private static void retryOnConflict(Runnable change) {
        for (int attempt = 1; ; attempt++) {
            try {
                change.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
