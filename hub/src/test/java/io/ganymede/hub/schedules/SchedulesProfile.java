package io.ganymede.hub.schedules;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * One start at a time, so a group's run meets the concurrent-spawn limit and must wait its turn;
 * quick retries; few schedules per group, so the limit is cheap to reach. Ticks are run by the tests.
 */
public class SchedulesProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ganymede.spawner.concurrent-spawn-limit", "1",
                "ganymede.schedules.busy-retry", "1s",
                "ganymede.schedules.max-per-group", "3",
                "ganymede.profiles.path", System.getProperty("user.dir") + "/src/test/resources/schedules-profiles.yaml");
    }
}
