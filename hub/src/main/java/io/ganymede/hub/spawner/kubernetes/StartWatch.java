package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.ganymede.hub.spawner.ProgressEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Follows one starting pod until it is ready or has failed for good, from informer callbacks and
 * a periodic {@link #tick()} (for the grace periods and the start timeout, which no pod change
 * announces). Progress only moves forward.
 */
final class StartWatch implements ServerInformers.PodListener {

    /** A start that will not succeed; the message is for the user. */
    static final class SpawnFailure extends RuntimeException {
        SpawnFailure(String message) {
            super(message);
        }
    }

    private final String podName;
    private final Consumer<ProgressEvent> progress;
    private final Clock clock;
    private final Instant deadline;
    private final Duration startTimeout;
    private final Duration imagePullGrace;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile String podUid;
    private volatile Instant pullProblemSince;
    private volatile String pullProblem;
    private volatile String unschedulable;
    private int lastProgress;

    StartWatch(String podName, Consumer<ProgressEvent> progress, Clock clock, Duration startTimeout,
            Duration imagePullGrace) {
        this.podName = podName;
        this.progress = progress;
        this.clock = clock;
        this.startTimeout = startTimeout;
        this.imagePullGrace = imagePullGrace;
        this.deadline = clock.instant().plus(startTimeout);
    }

    /** Completes with the pod IP, or fails with a {@link SpawnFailure}. */
    CompletableFuture<String> ready() {
        return ready;
    }

    /** Only events of this pod (not of an earlier pod with the same name) count. */
    void created(String uid) {
        this.podUid = uid;
    }

    @Override
    public void onPod(Pod pod) {
        // Until our create returned, a pod of this name may be a stale one being removed: only
        // the pod we created counts (its state is re-read from the cache right after create).
        if (podUid == null || !podUid.equals(pod.getMetadata().getUid())) {
            return;
        }
        PodState state = PodState.of(pod);
        if (state instanceof PodState.Ready r) {
            ready.complete(r.podIp());
        } else if (state instanceof PodState.Failed f) {
            ready.completeExceptionally(new SpawnFailure(f.message()));
        } else if (state instanceof PodState.Pending p) {
            unschedulable = p.unschedulable() != null ? p.unschedulable() : unschedulable;
            if (p.imagePullProblem() == null) {
                pullProblemSince = null;
            } else {
                pullProblem = p.imagePullProblem();
                if (pullProblemSince == null) {
                    pullProblemSince = clock.instant();
                }
            }
            tick();
        }
        // Gone: a deletion in progress; onDeleted follows.
    }

    @Override
    public void onDeleted() {
        if (podUid != null) {
            ready.completeExceptionally(new SpawnFailure("Your server's pod " + podName + " was deleted while starting."));
        }
    }

    @Override
    public void onEvent(Event e) {
        if (podUid != null && e.getInvolvedObject().getUid() != null && !podUid.equals(e.getInvolvedObject().getUid())) {
            return;
        }
        ProgressEvent p = EventProgress.of(e);
        synchronized (this) {
            int value = Math.max(lastProgress, p.progress());
            lastProgress = value;
            progress.accept(new ProgressEvent(value, p.message()));
        }
    }

    /** Fails the start once a grace period or the start timeout has passed. */
    void tick() {
        Instant now = clock.instant();
        Instant since = pullProblemSince;
        if (since != null && !now.isBefore(since.plus(imagePullGrace))) {
            ready.completeExceptionally(new SpawnFailure(pullProblem + ". Check the image name and tag."));
        } else if (!now.isBefore(deadline)) {
            String why = unschedulable != null ? " No node could take it: " + unschedulable
                    : pullProblem != null && since != null ? " " + pullProblem + "." : "";
            ready.completeExceptionally(new SpawnFailure(
                    "Your server did not start within " + startTimeout.toSeconds() + " seconds." + why));
        }
    }
}
