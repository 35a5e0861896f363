package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.ganymede.hub.spawner.ProgressEvent;

/**
 * Turns the Kubernetes events of a starting pod into spawn progress a user can follow. The
 * percentages are rough milestones: scheduling, pulling, starting.
 */
final class EventProgress {

    private EventProgress() {}

    static ProgressEvent of(Event e) {
        String reason = String.valueOf(e.getReason());
        String message = e.getMessage() == null ? "" : e.getMessage();
        return switch (reason) {
            case "FailedScheduling" -> new ProgressEvent(10, "Waiting for a node with room for your server: " + message);
            case "TriggeredScaleUp" -> new ProgressEvent(15, "Adding a node for your server, this can take a few minutes: " + message);
            case "NotTriggerScaleUp" -> new ProgressEvent(10, "No node pool can fit your server right now: " + message);
            case "Scheduled" -> new ProgressEvent(25, "Your server was assigned to a node: " + message);
            case "SuccessfulAttachVolume" -> new ProgressEvent(30, "Your disk is attached: " + message);
            case "Pulling" -> new ProgressEvent(40, "Pulling the image: " + message);
            case "Pulled" -> new ProgressEvent(70, "Image ready: " + message);
            case "Created" -> new ProgressEvent(80, "Container created");
            case "Started" -> new ProgressEvent(90, "Container started, waiting for the server to answer");
            default -> new ProgressEvent(-1, "[" + e.getType() + "] " + reason + ": " + message);
        };
    }
}
