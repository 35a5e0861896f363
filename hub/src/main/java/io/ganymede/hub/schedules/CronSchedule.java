package io.ganymede.hub.schedules;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A 5-field Unix cron expression ({@code minute hour day-of-month month day-of-week}, e.g.
 * {@code 45 8 * * MON-FRI}) read in a time zone, parsed by cron-utils (the library Quarkus'
 * scheduler ships), so daylight-saving changes follow the zone's rules.
 */
public final class CronSchedule {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronSchedule(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.times = ExecutionTime.forCron(cron);
    }

    /** @throws IllegalArgumentException with a message fit for a 400 */
    public static CronSchedule parse(String expression, String timeZone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron is required: 5 fields, minute hour day-of-month month day-of-week, e.g. \"45 8 * * MON-FRI\"");
        }
        String trimmed = expression.trim();
        if (trimmed.split("\\s+").length != 5) {
            throw new IllegalArgumentException("cron must have 5 fields (minute hour day-of-month month day-of-week), not: " + trimmed);
        }
        Cron cron;
        try {
            cron = UNIX.parse(trimmed).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid cron expression '" + trimmed + "': " + e.getMessage());
        }
        if (timeZone == null || timeZone.isBlank()) {
            throw new IllegalArgumentException("time_zone is required, an IANA zone such as Asia/Tokyo or UTC");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unknown time_zone '" + timeZone + "'; use an IANA zone such as Asia/Tokyo or UTC");
        }
        return new CronSchedule(trimmed, zone, cron);
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first time strictly after {@code after}; empty if the expression never fires again (e.g. 30 Feb). */
    public Optional<Instant> nextAfter(Instant after) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }
}
