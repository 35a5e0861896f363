package io.ganymede.hub.culler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Short limits so idleness shows within seconds; passes and ticks are run by the tests. */
public class CullerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ganymede.culler.timeout", "20s",
                "ganymede.culler.warning", "10s",
                "ganymede.culler.groups.keepers.timeout", "0",
                "ganymede.profiles.path", System.getProperty("user.dir") + "/src/test/resources/culler-profiles.yaml");
    }
}
