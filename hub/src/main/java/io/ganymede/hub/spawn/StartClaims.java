package io.ganymede.hub.spawn;

import io.ganymede.hub.leader.HubLeadership;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Who runs a start recorded in the database ({@code pendingSince}, {@code pendingBy}), and when
 * no live replica can be running it any more, so the leader must finish or undo it: at once when
 * its replica is known to be gone (a lone hub's earlier run; a replica that lost the Lease), and
 * in any case once it is older than a whole start may take.
 */
@ApplicationScoped
public class StartClaims {

    private final HubLeadership leadership;
    private final SpawnConfig config;
    private final Clock clock;

    StartClaims(HubLeadership leadership, SpawnConfig config, Clock clock) {
        this.leadership = leadership;
        this.config = config;
        this.clock = clock;
    }

    /** The name this process records in the starts it runs. */
    String self() {
        return leadership.identity();
    }

    /** A recorded start that no live replica runs any more; never one of this process's own but by age. */
    boolean abandoned(Instant pendingSince, String pendingBy) {
        return pendingSince != null
                && (pendingSince.isBefore(clock.instant().minus(abandonedAfter())) || leadership.gone(pendingBy));
    }

    /** How old a recorded start must be for its replica to have given up on it (or died). */
    Duration abandonedAfter() {
        return config.startTimeout().plus(config.httpTimeout()).plus(config.pollInterval());
    }
}
