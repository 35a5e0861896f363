package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;

/**
 * What a pod's status means for a starting server, read purely from the pod: ready with an
 * address, still coming, or failed in a way that will not heal by waiting.
 */
public sealed interface PodState {

    /** Running, every container ready, not being deleted: the server has an address. */
    record Ready(String podIp) implements PodState {}

    /**
     * Not there yet. {@code imagePullProblem} is set while the kubelet cannot pull the image (it
     * may still recover, e.g. a registry blip); {@code unschedulable} carries the scheduler's
     * message while no node fits (the autoscaler may still add one).
     */
    record Pending(String imagePullProblem, String unschedulable) implements PodState {}

    /** Will not start: the message is for the user. */
    record Failed(String message) implements PodState {}

    /** The pod is gone or being deleted. */
    record Gone() implements PodState {}

    /** Whether the pod will not run (any more): being deleted, failed or completed. */
    static boolean ended(Pod pod) {
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return true;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    static PodState of(Pod pod) {
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return new Gone();
        }
        var status = pod.getStatus();
        if (status == null) {
            return new Pending(null, null);
        }
        String phase = status.getPhase();
        List<ContainerStatus> containers = status.getContainerStatuses() == null ? List.of()
                : status.getContainerStatuses();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            return new Failed("Your server stopped before it was ready" + terminationDetail(containers) + ".");
        }
        String pullProblem = null;
        for (ContainerStatus cs : containers) {
            var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
            if (waiting == null) {
                continue;
            }
            String reason = String.valueOf(waiting.getReason());
            switch (reason) {
                case "CrashLoopBackOff" -> {
                    return new Failed("Your server keeps crashing" + terminationDetail(List.of(cs))
                            + ". Check the image and its command.");
                }
                case "ErrImagePull", "ImagePullBackOff" -> pullProblem = "The image " + cs.getImage()
                        + " cannot be pulled" + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
                case "InvalidImageName" -> {
                    return new Failed("The image name " + cs.getImage() + " is not valid.");
                }
                case "CreateContainerConfigError", "CreateContainerError" -> {
                    return new Failed("Your server's container cannot be created: "
                            + (waiting.getMessage() == null ? reason : waiting.getMessage()));
                }
                default -> {
                    // ContainerCreating, PodInitializing: still coming.
                }
            }
        }
        String unschedulable = null;
        if (status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason())) {
                    unschedulable = c.getMessage();
                }
            }
        }
        boolean allReady = !containers.isEmpty() && containers.stream().allMatch(cs -> Boolean.TRUE.equals(cs.getReady()));
        if ("Running".equals(phase) && status.getPodIP() != null && allReady) {
            return new Ready(status.getPodIP());
        }
        return new Pending(pullProblem, unschedulable);
    }

    private static String terminationDetail(List<ContainerStatus> containers) {
        for (ContainerStatus cs : containers) {
            var t = cs.getState() != null && cs.getState().getTerminated() != null ? cs.getState().getTerminated()
                    : cs.getLastState() != null ? cs.getLastState().getTerminated() : null;
            if (t != null) {
                return " (exit code " + t.getExitCode() + (t.getReason() == null ? "" : ", " + t.getReason())
                        + (t.getMessage() == null ? "" : ": " + t.getMessage()) + ")";
            }
        }
        return "";
    }
}
