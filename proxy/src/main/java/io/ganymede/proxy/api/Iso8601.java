package io.ganymede.proxy.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Lenient ISO 8601 parsing for {@code inactive_since}: clients send it with or without a zone. */
final class Iso8601 {

    private Iso8601() {
    }

    /** Epoch milliseconds, or null if the text is not ISO 8601; a time without zone is UTC. */
    static Long parseMillis(String text) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException notOffset) {
            // try the next form
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException notLocal) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException notDate) {
            return null;
        }
    }
}
