package io.ganymede.hub.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.api.ApiException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 429 of a start over the limit, as JupyterHub's spawn_single_user words and times it. */
class SpawnThrottleTest {

    @Test
    void roundsTheWaitAsJupyterHubDoes() {
        assertEquals("30 seconds", SpawnThrottle.human(30));
        assertEquals("40 seconds", SpawnThrottle.human(31));
        assertEquals("90 seconds", SpawnThrottle.human(90));
        assertEquals("2 minutes", SpawnThrottle.human(91));
        assertEquals("3 minutes", SpawnThrottle.human(150));
    }

    @Test
    void retryAfterIsRandomWithinTheRange() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ApiException e = SpawnThrottle.refusal(List.of(30, 60));
            assertEquals(429, e.status());
            int after = Integer.parseInt(e.headers().get("Retry-After"));
            assertTrue(after >= 30 && after <= 60, "Retry-After " + after);
            assertEquals("Too many users trying to log in right now. Try again in " + SpawnThrottle.human(after) + ".", e.getMessage());
            seen.add(e.headers().get("Retry-After"));
        }
        assertTrue(seen.size() > 5, "not spread: " + seen);
        assertEquals("45", SpawnThrottle.refusal(List.of(45, 45)).headers().get("Retry-After"));
    }
}
