package io.ganymede.hub.culler;

import io.ganymede.hub.activity.ActivityBuffer;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The culler's view of one server for the API model ({@code cull_at}, {@code cull_warning}): the
 * same rule and limits as a pass, from what the database holds (proxy activity in it is at most
 * one route check old) and the activity reports not yet written.
 */
@ApplicationScoped
public class CullForecast {

    private final ServerPolicies policies;
    private final CullerConfig config;
    private final ActivityBuffer activity;
    private final Clock clock;

    CullForecast(ServerPolicies policies, CullerConfig config, ActivityBuffer activity, Clock clock) {
        this.policies = policies;
        this.config = config;
        this.activity = activity;
        this.clock = clock;
    }

    public Verdict of(ServerEntity server, String pending) {
        if (!config.enabled()) {
            return Verdict.skip(Verdict.Action.KEEP);
        }
        var policy = policies.of(JsonColumns.object(server.userOptions), server.user.groupNames(), server.user.admin);
        ServerFacts facts = new ServerFacts(server.user.name, server.name, server.running(), pending, policy.app(),
                server.started, activity.lastActivity(server), activity.reportedActivity(server));
        return IdleRule.judge(facts, policy.limits(), clock.instant(), config.warning());
    }
}
