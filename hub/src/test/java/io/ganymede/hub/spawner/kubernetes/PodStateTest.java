package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;

/** What each pod status a kubelet or scheduler writes means for a starting server. */
class PodStateTest {

    static Pod pod(PodStatus status) {
        return new PodBuilder().withNewMetadata().withName("jupyter-a").endMetadata().withStatus(status).build();
    }

    static PodStatus waiting(String phase, String reason, String message) {
        return new PodStatusBuilder().withPhase(phase).withContainerStatuses(new ContainerStatusBuilder()
                .withName("notebook").withImage("img:1").withReady(false)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build())
                .build();
    }

    @Test
    void aPodHasEndedWhenBeingDeletedFailedOrCompleted() {
        Pod running = pod(new PodStatusBuilder().withPhase("Running").build());
        org.junit.jupiter.api.Assertions.assertFalse(PodState.ended(running));
        org.junit.jupiter.api.Assertions.assertFalse(PodState.ended(pod(null)));
        org.junit.jupiter.api.Assertions.assertTrue(PodState.ended(pod(new PodStatusBuilder().withPhase("Failed")
                .withReason("Evicted").build())));
        org.junit.jupiter.api.Assertions.assertTrue(PodState.ended(pod(new PodStatusBuilder().withPhase("Succeeded").build())));
        org.junit.jupiter.api.Assertions.assertTrue(PodState.ended(new PodBuilder(running).editMetadata()
                .withDeletionTimestamp("2026-12-07T03:00:00Z").endMetadata().build()));
        org.junit.jupiter.api.Assertions.assertTrue(PodState.ended(null));
    }

    @Test
    void pullProblemsMayHealTheOthersDoNot() {
        assertEquals(new PodState.Pending("The image img:1 cannot be pulled: Back-off pulling image \"img:1\"", null),
                PodState.of(pod(waiting("Pending", "ImagePullBackOff", "Back-off pulling image \"img:1\""))));
        assertEquals(new PodState.Pending("The image img:1 cannot be pulled", null),
                PodState.of(pod(waiting("Pending", "ErrImagePull", null))));
        assertEquals(new PodState.Failed("The image name img:1 is not valid."),
                PodState.of(pod(waiting("Pending", "InvalidImageName", "bad"))));
        assertEquals(new PodState.Failed("Your server's container cannot be created: secret \"s\" not found"),
                PodState.of(pod(waiting("Pending", "CreateContainerConfigError", "secret \"s\" not found"))));
        assertEquals(new PodState.Failed("Your server keeps crashing. Check the image and its command."),
                PodState.of(pod(waiting("Running", "CrashLoopBackOff", "back-off 10s"))));
        assertEquals(new PodState.Pending(null, null), PodState.of(pod(waiting("Pending", "ContainerCreating", null))));
    }

    @Test
    void schedulingReadinessAndEndings() {
        String why = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.";
        assertEquals(new PodState.Pending(null, why), PodState.of(pod(new PodStatusBuilder().withPhase("Pending")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage(why).build()).build())));
        // Running but not ready yet (readiness probe), or ready without an address: still coming.
        assertEquals(new PodState.Pending(null, null), PodState.of(pod(new PodStatusBuilder().withPhase("Running")
                .withPodIP("127.0.0.3").withContainerStatuses(new ContainerStatusBuilder().withName("notebook")
                        .withReady(false).build()).build())));
        assertEquals(new PodState.Ready("127.0.0.3"), PodState.of(pod(KubernetesSpawnerTest.running("127.0.0.3"))));
        assertEquals(new PodState.Failed("Your server stopped before it was ready (exit code 137, OOMKilled)."),
                PodState.of(pod(new PodStatusBuilder().withPhase("Failed").withContainerStatuses(new ContainerStatusBuilder()
                        .withName("notebook").withNewState().withNewTerminated().withExitCode(137).withReason("OOMKilled")
                        .endTerminated().endState().build()).build())));
        Pod deleting = pod(KubernetesSpawnerTest.running("127.0.0.3"));
        deleting.getMetadata().setDeletionTimestamp("2026-12-01T00:00:00Z");
        assertEquals(new PodState.Gone(), PodState.of(deleting));
    }
}
