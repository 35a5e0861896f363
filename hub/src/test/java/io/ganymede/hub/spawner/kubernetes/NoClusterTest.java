package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.spawner.SpawnRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The hub without any cluster (the embedded local setup): it starts, profiles work, and a
 * kubernetes spawn fails with a readable message instead of hanging. The API server address is a
 * closed loopback port.
 */
@QuarkusTest
@TestProfile(NoClusterTest.Unreachable.class)
class NoClusterTest {

    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:9",
                    "quarkus.kubernetes-client.request-retry-backoff-limit", "0",
                    "smallrye.config.mapping.validate-unknown", "false");
        }
    }

    @Inject
    ProfileCatalog catalog;

    @Inject
    KubernetesSpawner spawner;

    @Test
    void startsWithoutAClusterAndFailsSpawnsClearly() {
        assertTrue(catalog.status().builtIn());
        assertEquals("default", catalog.resolve(Map.of(), Set.of(), false).slug());
        var request = new SpawnRequest("alice", "", Map.of(), Map.of(), Map.of(), Map.of());
        Throwable t = assertThrows(Throwable.class,
                () -> spawner.start(request, p -> {}).await().atMost(Duration.ofSeconds(30)));
        assertTrue(t.getMessage().startsWith("Kubernetes cannot be reached: "), t.getMessage());
    }
}
