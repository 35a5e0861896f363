package io.ganymede.hub.leader;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Leadership in {@code /q/health/ready}, for people and dashboards. Always up: a replica that
 * does not lead serves the API as well as the leader, so it must keep receiving traffic.
 */
@Readiness
@ApplicationScoped
public class LeadershipHealth implements HealthCheck {

    private final HubLeadership leadership;

    LeadershipHealth(HubLeadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("leadership").up()
                .withData("leader", leadership.isLeader())
                .withData("election", leadership.elected() ? "lease" : "none");
        if (leadership.elected()) {
            response.withData("identity", leadership.identity());
            response.withData("holder", String.valueOf(leadership.holder()));
        }
        return response.build();
    }
}
