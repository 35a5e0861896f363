package io.ganymede.hub.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Kubernetes quantities as the storage rules read and write them. */
class QuantitiesTest {

    @Test
    void kubernetesQuantitiesAreBytes() {
        assertEquals(10L << 30, Quantities.kubernetesBytes("10Gi"));
        assertEquals(1L << 40, Quantities.kubernetesBytes("1Ti"));
        assertEquals(500_000_000L, Quantities.kubernetesBytes("500M"));
        assertEquals(1_000_000_000L, Quantities.kubernetesBytes("1e9"));
        assertEquals(3L << 29, Quantities.kubernetesBytes("1.5Gi"));
        assertEquals(2L, Quantities.kubernetesBytes("1500m"), "rounded up, as the API server rounds storage");
        assertEquals(1_000_000_000_000_000_000L, Quantities.kubernetesBytes("1E"));
    }

    @Test
    void badOrHugeQuantitiesAreRefused() {
        for (String bad : new String[] {"", "lots", "10GB", "-1Gi", "1e999999999", "99999999Ei", "1e31"}) {
            assertThrows(IllegalArgumentException.class, () -> Quantities.kubernetesBytes(bad), bad);
        }
    }

    @Test
    void bytesAreWrittenInTheLargestBinaryUnitThatDividesThem() {
        assertEquals("20Gi", Quantities.binary(20L << 30));
        assertEquals("1536Mi", Quantities.binary(3L << 29));
        assertEquals("1Ti", Quantities.binary(1L << 40));
        assertEquals("1000", Quantities.binary(1000));
        assertEquals("0", Quantities.binary(0));
    }
}
