package io.ganymede.hub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ApiModels#iso} writes what {@code truncatedTo(MILLIS).toString()} writes, for every kind of instant. */
class IsoTimesTest {

    @Test
    void sameAsInstantToString() {
        for (String text : new String[] {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.001Z", "2026-12-06T21:05:40.573Z",
                "2024-02-29T23:59:59.999Z", "2000-01-01T00:00:00.100Z", "9999-12-31T23:59:59.999Z",
                "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"}) {
            Instant instant = Instant.parse(text);
            assertEquals(text, ApiModels.iso(instant));
            assertEquals(instant.truncatedTo(ChronoUnit.MILLIS).toString(), ApiModels.iso(instant.plusNanos(999_999)));
        }
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-100_000_000_000L, 300_000_000_000L), random.nextInt(1_000_000_000));
            assertEquals(instant.truncatedTo(ChronoUnit.MILLIS).toString(), ApiModels.iso(instant));
        }
        assertNull(ApiModels.iso(null));
    }
}
