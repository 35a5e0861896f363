package io.ganymede.hub.fairuse;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Quotas for the groups of {@link FairUseApiTest}, and its GPU profiles. */
public class FairUseProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                // A database of its own: sessions other classes leave open (the repository
                // contract's physics GPU session) would count against these quotas.
                "quarkus.datasource.jdbc.url", "jdbc:h2:mem:fair-use;DB_CLOSE_DELAY=-1",
                "ganymede.fair-use.quotas.physics.concurrent-gpus", "1",
                "ganymede.fair-use.quotas.physics.concurrent-servers", "2",
                "ganymede.fair-use.quotas.rush.concurrent-servers", "2",
                // About 1 GPU-second: used up by any GPU session that ran a second or two.
                "ganymede.fair-use.quotas.chem.gpu-hours-per-month", "0.0002",
                // 10.8 GPU-seconds, and running servers stopped when they are used (the test runs the passes).
                "ganymede.fair-use.quotas.geology.gpu-hours-per-month", "0.003",
                "ganymede.fair-use.stop-at-quota-end", "true",
                "ganymede.fair-use.check-interval", "1h",
                "ganymede.profiles.path", System.getProperty("user.dir") + "/src/test/resources/fairuse-profiles.yaml");
    }
}
