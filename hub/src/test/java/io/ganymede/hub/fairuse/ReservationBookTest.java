package io.ganymede.hub.fairuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganymede.hub.usage.Session;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Overlap, what is held from whom, admission order and expiry. */
class ReservationBookTest {

    static final String T4 = "nvidia-tesla-t4";

    static Reservation r(long id, String group, int gpus, String start, String end) {
        return new Reservation(id, group, T4, gpus, Instant.parse(start), Instant.parse(end), null, Instant.EPOCH, "admin");
    }

    static Session running(String user, String group, int gpus) {
        return new Session(1, user, "", List.of(group), "gpu-t4", T4, gpus, 8, 0, Instant.parse("2026-12-07T09:00:00Z"), null, null);
    }

    @Test
    void peakIsTheMostHeldAtOneMoment() {
        List<Reservation> book = List.of(
                r(1, "a", 1, "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z"),
                r(2, "b", 1, "2026-12-07T11:00:00Z", "2026-12-07T13:00:00Z"),
                r(3, "c", 1, "2026-12-07T12:00:00Z", "2026-12-07T14:00:00Z"),
                new Reservation(4, "d", "nvidia-l4", 5, Instant.parse("2026-12-07T10:00:00Z"),
                        Instant.parse("2026-12-07T14:00:00Z"), null, Instant.EPOCH, "admin"));
        // 10-14: a+b overlap at 11-12, b+c at 12-13 (a ends at 12, half-open): never three at once.
        assertEquals(2, ReservationBook.peak(book, T4, Instant.parse("2026-12-07T10:00:00Z"), Instant.parse("2026-12-07T14:00:00Z")));
        // Touching windows do not overlap.
        assertEquals(0, ReservationBook.peak(book, T4, Instant.parse("2026-12-07T14:00:00Z"), Instant.parse("2026-12-07T15:00:00Z")));
        assertEquals(1, ReservationBook.peak(book, T4, Instant.parse("2026-12-07T09:00:00Z"), Instant.parse("2026-12-07T10:30:00Z")));
        assertEquals(5, ReservationBook.peak(book, "nvidia-l4", Instant.parse("2026-12-07T09:00:00Z"), Instant.parse("2026-12-07T10:30:00Z")));
    }

    @Test
    void membersUseTheirReservationFirstAndOnlyItsUnusedPartIsHeld() {
        List<Reservation> book = List.of(r(1, "a", 2, "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z"));
        Instant now = Instant.parse("2026-12-07T11:00:00Z");
        assertEquals(2, ReservationBook.held(book, Set.of("b"), T4, List.of(), now));
        assertEquals(0, ReservationBook.held(book, Set.of("a", "b"), T4, List.of(), now), "not held from its own members");
        List<Session> oneOfA = List.of(running("ann@example.com", "a", 1), running("bo@example.com", "b", 1));
        assertEquals(1, ReservationBook.held(book, Set.of("b"), T4, oneOfA, now));
        List<Session> threeOfA = List.of(running("ann@example.com", "a", 3));
        assertEquals(0, ReservationBook.held(book, Set.of("b"), T4, threeOfA, now), "beyond the reservation, the pool");
        assertEquals(0, ReservationBook.held(book, Set.of("b"), "nvidia-l4", List.of(), now), "other types are free");
    }

    @Test
    void nothingIsHeldBeforeTheWindowOrOnceItExpired() {
        List<Reservation> book = List.of(r(1, "a", 2, "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z"));
        assertEquals(0, ReservationBook.held(book, Set.of("b"), T4, List.of(), Instant.parse("2026-12-07T09:59:59Z")));
        assertEquals(2, ReservationBook.held(book, Set.of("b"), T4, List.of(), Instant.parse("2026-12-07T10:00:00Z")));
        assertEquals(2, ReservationBook.held(book, Set.of("b"), T4, List.of(), Instant.parse("2026-12-07T11:59:59Z")));
        assertEquals(0, ReservationBook.held(book, Set.of("b"), T4, List.of(), Instant.parse("2026-12-07T12:00:00Z")));
    }
}
