package io.ganymede.hub.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    @Test
    void weekdayMorningsInTokyo() {
        CronSchedule s = CronSchedule.parse("45 8 * * MON-FRI", "Asia/Tokyo");
        // Friday 2026-12-04 09:00 in Tokyo: the next run is Monday 08:45 JST = Sunday 23:45 UTC.
        assertEquals(Instant.parse("2026-12-06T23:45:00Z"), s.nextAfter(Instant.parse("2026-12-04T00:00:00Z")).orElseThrow());
        // Strictly after: at 08:45 exactly, the next is the following day.
        assertEquals(Instant.parse("2026-12-01T23:45:00Z"), s.nextAfter(Instant.parse("2026-11-30T23:45:00Z")).orElseThrow());
    }

    @Test
    void followsDaylightSavingTime() {
        CronSchedule s = CronSchedule.parse("0 9 * * *", "Europe/Berlin");
        assertEquals(Instant.parse("2026-07-01T07:00:00Z"), s.nextAfter(Instant.parse("2026-06-30T12:00:00Z")).orElseThrow());
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), s.nextAfter(Instant.parse("2026-11-30T12:00:00Z")).orElseThrow());
    }

    @Test
    void numericDaysAndSteps() {
        CronSchedule s = CronSchedule.parse("*/15 7-8 * * 1-5", "UTC");
        assertEquals(Instant.parse("2026-12-01T07:15:00Z"), s.nextAfter(Instant.parse("2026-12-01T07:00:00Z")).orElseThrow());
    }

    @Test
    void badInputIsExplained() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("45 8 * *", "UTC"))
                .getMessage().contains("5 fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 0 0 * * MON", "UTC"))
                .getMessage().contains("5 fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("61 8 * * *", "UTC"))
                .getMessage().startsWith("Invalid cron expression"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("45 8 * * FUNDAY", "UTC"))
                .getMessage().startsWith("Invalid cron expression"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("45 8 * * *", "Mars/Olympus"))
                .getMessage().contains("Unknown time_zone"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("45 8 * * *", null))
                .getMessage().contains("time_zone is required"));
    }
}
