package io.ganymede.hub.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The picker's words for room per profile. */
class ProfileCapacityTest {

    @Test
    void gpuProfilesSayHowManyAreFreeOrThatTheServerWillWait() {
        assertEquals(new ProfileCapacity.Line("2 T4 free", true, "nvidia-tesla-t4", 2),
                ProfileCapacity.line("nvidia-tesla-t4", 1, Map.of("nvidia-tesla-t4", 2), true));
        assertEquals("no L4 free now: your server will wait for a node",
                ProfileCapacity.line("nvidia-l4", 1, Map.of("nvidia-tesla-t4", 2), false).text());
        assertEquals("only 1 A100 free now: your server will wait for a node",
                ProfileCapacity.line("nvidia-tesla-a100", 2, Map.of("nvidia-tesla-a100", 1), true).text());
        // Free GPUs on nodes the profile cannot use (another pool, a missing label) do not count as room.
        assertEquals(false, ProfileCapacity.line("nvidia-l4", 1, Map.of("nvidia-l4", 4), false).fits());
    }

    @Test
    void gpusReservedForOtherGroupsCountAsTaken() {
        assertEquals(new ProfileCapacity.Line("1 T4 free (1 reserved for other groups)", true, "nvidia-tesla-t4", 1),
                ProfileCapacity.line("nvidia-tesla-t4", 1, Map.of("nvidia-tesla-t4", 2), true, 1));
        assertEquals(new ProfileCapacity.Line("no T4 free for you now: 1 reserved for other groups", false, "nvidia-tesla-t4", 0),
                ProfileCapacity.line("nvidia-tesla-t4", 1, Map.of("nvidia-tesla-t4", 1), true, 1));
        assertEquals("only 1 T4 free for you now: 1 reserved for other groups",
                ProfileCapacity.line("nvidia-tesla-t4", 2, Map.of("nvidia-tesla-t4", 2), true, 1).text());
    }

    @Test
    void cpuProfilesSayWhetherANodeHasRoom() {
        assertEquals("room free now", ProfileCapacity.line(null, 0, Map.of(), true).text());
        assertEquals("no room free now: your server will wait for a node", ProfileCapacity.line(null, 0, Map.of(), false).text());
    }

    @Test
    void gpuNamesAreShort() {
        assertEquals("T4", ProfileCapacity.gpuName("nvidia-tesla-t4"));
        assertEquals("L4", ProfileCapacity.gpuName("nvidia-l4"));
        assertEquals("H100-80GB", ProfileCapacity.gpuName("nvidia-h100-80gb"));
    }
}
