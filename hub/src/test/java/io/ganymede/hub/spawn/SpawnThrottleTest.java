package io.ganymede.hub.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.api.ApiException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 429 of a start over the limit, as JupyterHub's spawn_single_user words and times it, and the adaptive wait. */
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
        for (boolean adaptive : new boolean[] {false, true}) {
            // Adaptive or not, before any start ended the range applies, as in JupyterHub.
            SpawnThrottle throttle = new SpawnThrottle(List.of(30, 60), adaptive);
            Set<Integer> seen = waits(throttle);
            assertTrue(seen.stream().allMatch(after -> after >= 30 && after <= 60), "Retry-After " + seen);
            assertTrue(seen.size() > 5, "not spread: " + seen);
        }
        assertEquals(Set.of(45), waits(new SpawnThrottle(List.of(45, 45), false)));
    }

    @Test
    void anAdaptiveWaitFollowsHowLongStartsTakeNow() {
        SpawnThrottle throttle = new SpawnThrottle(List.of(30, 60), true);
        for (int i = 0; i < SpawnThrottle.REMEMBERED; i++) {
            throttle.ended(Duration.ofMillis(i % 5 == 0 ? 40_000 : 7_400));
        }
        // Median 7.4 s: asked to come back in 4 to 8 s, spread.
        Set<Integer> seen = waits(throttle);
        assertTrue(seen.stream().allMatch(after -> after >= 4 && after <= 8), "Retry-After " + seen);
        assertTrue(seen.size() >= 4, "not spread: " + seen);

        // Starts slower than the range's maximum: never asked to wait longer than it.
        SpawnThrottle slow = new SpawnThrottle(List.of(30, 60), true);
        slow.ended(Duration.ofMinutes(5));
        assertTrue(waits(slow).stream().allMatch(after -> after >= 30 && after <= 60));

        // Starts faster than a second: one second, never zero.
        SpawnThrottle fast = new SpawnThrottle(List.of(30, 60), true);
        fast.ended(Duration.ofMillis(300));
        assertEquals(Set.of(1), waits(fast));

        // Off: JupyterHub's range whatever the starts take.
        SpawnThrottle off = new SpawnThrottle(List.of(30, 60), false);
        off.ended(Duration.ofSeconds(2));
        assertTrue(waits(off).stream().allMatch(after -> after >= 30 && after <= 60));
    }

    /** The Retry-After of 200 refusals, each checked against its message. */
    private static Set<Integer> waits(SpawnThrottle throttle) {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ApiException e = throttle.refusal();
            assertEquals(429, e.status());
            int after = Integer.parseInt(e.headers().get("Retry-After"));
            assertEquals("Too many users trying to log in right now. Try again in " + SpawnThrottle.human(after) + ".", e.getMessage());
            seen.add(after);
        }
        return seen;
    }
}
