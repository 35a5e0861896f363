package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is free on which node, computed purely from nodes and pods as the scheduler counts it:
 * allocatable minus the requests of pods that are not finished. Answers "how many GPUs of each
 * type are free" and "would this server fit on some node right now" (without the autoscaler adding
 * one: a node pool scaled to zero shows nothing free).
 */
public final class CapacityModel {

    public static final String ACCELERATOR_LABEL = "cloud.google.com/gke-accelerator";
    public static final String GPU = "nvidia.com/gpu";

    private final List<Node> nodes;
    private final Map<String, Map<String, BigDecimal>> requestedByNode = new HashMap<>();

    public CapacityModel(List<Node> nodes, List<Pod> pods) {
        this.nodes = nodes;
        for (Pod pod : pods) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (node == null || "Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            Map<String, BigDecimal> sum = requestedByNode.computeIfAbsent(node, n -> new HashMap<>());
            requests(pod).forEach((k, v) -> sum.merge(k, v, BigDecimal::add));
        }
    }

    /** Free GPUs per accelerator type over schedulable, ready nodes (types with none free included). */
    public Map<String, Integer> freeGpus() {
        Map<String, Integer> free = new TreeMap<>();
        for (Node node : nodes) {
            String type = labels(node).get(ACCELERATOR_LABEL);
            if (type == null || !usable(node)) {
                continue;
            }
            free.merge(type, Math.max(0, free(node, GPU).intValue()), Integer::sum);
        }
        return free;
    }

    /** All GPUs per accelerator type over schedulable, ready nodes, used or not: what reservations may hold. */
    public Map<String, Integer> totalGpus() {
        Map<String, Integer> total = new TreeMap<>();
        for (Node node : nodes) {
            String type = labels(node).get(ACCELERATOR_LABEL);
            if (type == null || !usable(node)) {
                continue;
            }
            Map<String, Quantity> alloc = node.getStatus() == null || node.getStatus().getAllocatable() == null ? Map.of()
                    : node.getStatus().getAllocatable();
            total.merge(type, alloc.containsKey(GPU) ? Quantity.getAmountInBytes(alloc.get(GPU)).intValue() : 0, Integer::sum);
        }
        return total;
    }

    /** Whether some node has room for the server now and accepts it (labels and taints). */
    public boolean fits(ServerSpec spec, Map<String, String> nodeSelector) {
        Map<String, BigDecimal> need = new HashMap<>();
        Object cpu = spec.cpuGuarantee() != null ? spec.cpuGuarantee() : spec.cpuLimit();
        if (cpu != null) {
            need.put("cpu", amount(io.ganymede.hub.profiles.Quantities.cpu(cpu)));
        }
        Long mem = spec.memGuarantee() != null ? spec.memGuarantee() : spec.memLimit();
        if (mem != null) {
            need.put("memory", BigDecimal.valueOf(mem));
        }
        spec.extraResourceLimits().forEach((k, v) -> need.put(k, amount(v)));
        spec.extraResourceGuarantees().forEach((k, v) -> need.put(k, amount(v)));
        List<Toleration> tolerations = spec.tolerations().stream()
                .map(t -> Serialization.jsonMapper().convertValue(t, Toleration.class)).toList();
        for (Node node : nodes) {
            if (!usable(node) || !matches(node, nodeSelector) || !tolerates(node, tolerations)) {
                continue;
            }
            boolean room = need.entrySet().stream().allMatch(e -> free(node, e.getKey()).compareTo(e.getValue()) >= 0);
            if (room) {
                return true;
            }
        }
        return false;
    }

    private BigDecimal free(Node node, String resource) {
        Map<String, Quantity> alloc = node.getStatus() == null || node.getStatus().getAllocatable() == null ? Map.of()
                : node.getStatus().getAllocatable();
        BigDecimal total = alloc.containsKey(resource) ? Quantity.getAmountInBytes(alloc.get(resource)) : BigDecimal.ZERO;
        BigDecimal used = requestedByNode.getOrDefault(node.getMetadata().getName(), Map.of())
                .getOrDefault(resource, BigDecimal.ZERO);
        return total.subtract(used);
    }

    private static Map<String, BigDecimal> requests(Pod pod) {
        Map<String, BigDecimal> sum = new HashMap<>();
        for (Container c : pod.getSpec().getContainers()) {
            var r = c.getResources();
            if (r == null) {
                continue;
            }
            Map<String, Quantity> req = r.getRequests() == null ? Map.of() : r.getRequests();
            Map<String, Quantity> lim = r.getLimits() == null ? Map.of() : r.getLimits();
            // The API server defaults a missing request to the limit.
            Map<String, Quantity> effective = new HashMap<>(lim);
            effective.putAll(req);
            effective.forEach((k, q) -> sum.merge(k, Quantity.getAmountInBytes(q), BigDecimal::add));
        }
        return sum;
    }

    private static boolean usable(Node node) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return true;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return true;
    }

    private static boolean matches(Node node, Map<String, String> selector) {
        Map<String, String> labels = labels(node);
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static boolean tolerates(Node node, List<Toleration> tolerations) {
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints();
        for (Taint t : taints) {
            if ("PreferNoSchedule".equals(t.getEffect())) {
                continue;
            }
            boolean tolerated = tolerations.stream().anyMatch(tol -> tolerates(tol, t));
            if (!tolerated) {
                return false;
            }
        }
        return true;
    }

    private static boolean tolerates(Toleration tol, Taint taint) {
        if (tol.getEffect() != null && !tol.getEffect().isEmpty() && !tol.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if ("Exists".equals(tol.getOperator())) {
            return tol.getKey() == null || tol.getKey().isEmpty() || tol.getKey().equals(taint.getKey());
        }
        return taint.getKey().equals(tol.getKey()) && String.valueOf(taint.getValue()).equals(String.valueOf(tol.getValue()));
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }

    private static BigDecimal amount(String q) {
        return Quantity.getAmountInBytes(new Quantity(q));
    }
}
