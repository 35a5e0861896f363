package io.ganymede.hub.usage;

import io.ganymede.hub.persistence.UsageSessionEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/** Reads recorded sessions: for usage reports, quotas and pages. */
@ApplicationScoped
public class Usage {

    private final Clock clock;

    Usage(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Sessions that ran at some moment of {@code [from, to)}, open ones included. */
    public List<Session> sessions(Instant from, Instant to) {
        return QuarkusTransaction.requiringNew().call(() -> UsageSessionEntity.overlapping(from, to).stream()
                .map(Session::of).toList());
    }

    /** Sessions running now. */
    public List<Session> open() {
        return QuarkusTransaction.requiringNew().call(() -> UsageSessionEntity.<UsageSessionEntity>list("stoppedAt is null")
                .stream().map(Session::of).toList());
    }

    /** The report of {@code [from, to)}, optionally for one user and one group. */
    public UsageReport report(Instant from, Instant to, UsageReport.By by, String user, String group) {
        List<Session> sessions = sessions(from, to).stream()
                .filter(s -> user == null || s.user().equals(user))
                .filter(s -> group == null || s.chargedTo(group))
                .toList();
        return UsageReport.of(sessions, from, to, now(), by, by == UsageReport.By.GROUP ? group : null);
    }

    /** The first moment of the calendar month (UTC) that holds {@code at}. */
    public static Instant monthStart(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first moment of the next calendar month (UTC) after {@code at}'s. */
    public static Instant nextMonthStart(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
