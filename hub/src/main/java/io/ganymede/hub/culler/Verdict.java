package io.ganymede.hub.culler;

import java.time.Instant;

/**
 * What the idle rule decided about one server.
 *
 * @param action what the culler does now
 * @param cullAt when the server will be stopped if no more activity arrives (the earlier of the
 *     idle and the max-age deadline); null when the culler will never stop it
 * @param warning whether {@code cullAt} is within the warning period
 * @param activity the activity the decision counted (see {@link IdleRule}); null if none
 */
public record Verdict(Action action, Instant cullAt, boolean warning, Instant activity) {

    public enum Action {
        /** A start or stop is in flight: never touched, as jupyterhub-idle-culler. */
        SKIP_PENDING,
        /** Not running (or not ready): nothing to stop. */
        SKIP_NOT_READY,
        KEEP,
        /** Inactive for at least the timeout. */
        CULL_IDLE,
        /** Older than the maximum age, whatever its activity. */
        CULL_MAX_AGE;

        public boolean culls() {
            return this == CULL_IDLE || this == CULL_MAX_AGE;
        }

        /** The {@code reason} tag of the culled-servers metric. */
        public String reason() {
            return this == CULL_MAX_AGE ? "max_age" : "idle";
        }
    }

    static Verdict skip(Action action) {
        return new Verdict(action, null, false, null);
    }
}
