package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityModelTest {

    static Node node(String name, String accelerator, int gpus, boolean ready, boolean gpuTaint) {
        var b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
                .withNewStatus()
                    .addToAllocatable("cpu", new Quantity("8"))
                    .addToAllocatable("memory", new Quantity("32Gi"))
                    .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus();
        if (accelerator != null) {
            b.editMetadata().addToLabels(CapacityModel.ACCELERATOR_LABEL, accelerator).endMetadata()
                    .editStatus().addToAllocatable(CapacityModel.GPU, new Quantity(String.valueOf(gpus))).endStatus();
        }
        if (gpuTaint) {
            b.editSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint()
                    .endSpec();
        }
        return b.build();
    }

    static Pod pod(String node, String phase, String cpu, int gpus) {
        var b = new PodBuilder().withNewMetadata().withName("p-" + node + "-" + phase + cpu + gpus).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withNewResources()
                    .addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus();
        if (gpus > 0) {
            // Extended resources are given as limits; the request defaults to the limit.
            b.editSpec().editFirstContainer().editResources().addToLimits(CapacityModel.GPU, new Quantity(String.valueOf(gpus)))
                    .endResources().endContainer().endSpec();
        }
        return b.build();
    }

    static ServerSpec spec(Map<String, Object> s) {
        return ServerSpec.from(s, new ServerSpec.Defaults("i", "IfNotPresent", List.of(), null, 1000, 100, 100,
                Duration.ofSeconds(60)));
    }

    final List<Node> nodes = List.of(
            node("t4-a", "nvidia-tesla-t4", 4, true, true),
            node("t4-b", "nvidia-tesla-t4", 1, true, true),
            node("t4-down", "nvidia-tesla-t4", 4, false, true),
            node("l4-a", "nvidia-l4", 1, true, true),
            node("cpu-a", null, 0, true, false));
    final List<Pod> pods = List.of(
            pod("t4-a", "Running", "1", 3),
            pod("t4-a", "Succeeded", "1", 1), // finished pods free their GPUs
            pod("t4-b", "Running", "7", 1),
            pod("l4-a", "Pending", "1", 1),
            pod("cpu-a", "Running", "6", 0));

    @Test
    void freeGpusPerTypeCountOnlyReadyNodesAndLivePods() {
        assertEquals(Map.of("nvidia-tesla-t4", 1, "nvidia-l4", 0), new CapacityModel(nodes, pods).freeGpus());
    }

    @Test
    void fitsChecksResourcesSelectorsAndTaints() {
        CapacityModel m = new CapacityModel(nodes, pods);
        Map<String, Object> tol = Map.of("key", "nvidia.com/gpu", "operator", "Exists", "effect", "NoSchedule");
        var t4 = spec(Map.of("cpu_limit", 4L, "extra_resource_limits", Map.of("nvidia.com/gpu", "1"), "tolerations", List.of(tol)));
        assertTrue(m.fits(t4, Map.of(CapacityModel.ACCELERATOR_LABEL, "nvidia-tesla-t4")));
        var twoT4 = spec(Map.of("extra_resource_limits", Map.of("nvidia.com/gpu", "2"), "tolerations", List.of(tol)));
        assertFalse(m.fits(twoT4, Map.of(CapacityModel.ACCELERATOR_LABEL, "nvidia-tesla-t4")));
        assertFalse(m.fits(t4, Map.of(CapacityModel.ACCELERATOR_LABEL, "nvidia-l4")), "the only L4 is taken");
        // Without the toleration a GPU node refuses even a CPU server; cpu-a has 2 CPUs left.
        assertTrue(m.fits(spec(Map.of("cpu_guarantee", 2L)), Map.of()));
        assertFalse(m.fits(spec(Map.of("cpu_guarantee", 3L)), Map.of()));
        assertTrue(m.fits(spec(Map.of("cpu_guarantee", 3L, "tolerations", List.of(tol))), Map.of()));
    }
}
