package io.ganymede.hub.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Coalescing: per user and server only the newest times are kept, by the rules of the entities. */
class PendingActivityTest {

    private static final Instant T0 = Instant.parse("2030-05-06T07:00:00Z");

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aUserKeepsTheNewestTimeWhateverTheOrder() {
        PendingActivity pending = new PendingActivity();
        pending.user(1, at(20));
        pending.user(1, at(10));
        pending.user(1, at(30));
        pending.user(1, at(25));
        pending.user(2, at(5));
        assertEquals(at(30), pending.userTime(1, null));
        assertEquals(at(40), pending.userTime(1, at(40)), "a newer stored time wins");
        assertEquals(at(30), pending.userTime(1, at(15)));
        assertEquals(at(7), pending.userTime(3, at(7)), "nothing pending: the stored time");

        PendingActivity.Batch batch = pending.drain();
        assertEquals(Map.of(1L, at(30), 2L, at(5)), batch.users());
        assertTrue(pending.isEmpty());
        assertTrue(pending.drain().isEmpty(), "a report is written once");
    }

    @Test
    void ownReportsAndKeepAlivesFollowTheServersRules() {
        PendingActivity pending = new PendingActivity();
        // A keep-alive first: a report only if the server had reported this run (the database knows).
        pending.keepAlive(7, at(10), at(10));
        PendingActivity.ServerTimes neverReported = pending.serverTimes(7, T0, T0, null);
        assertEquals(at(10), neverReported.last());
        assertNull(neverReported.reported());
        assertEquals(at(10), pending.serverTimes(7, T0, T0, at(2)).reported());
        // Then its own report, then a keep-alive: that one counts as a report whatever was stored.
        pending.report(7, at(20), at(20));
        pending.keepAlive(7, at(30), at(30));
        pending.report(7, at(25), at(31));
        PendingActivity.ServerTimes times = pending.serverTimes(7, T0, T0, null);
        assertEquals(at(30), times.last());
        assertEquals(at(30), times.reported());

        PendingActivity.Server drained = pending.drain().servers().get(7L);
        assertEquals(new PendingActivity.Server(at(30), at(30), at(10), at(31)), drained);
    }

    @Test
    void reportsFromBeforeARunStartedAreNotThatRunsReports() {
        PendingActivity pending = new PendingActivity();
        pending.report(7, at(10), at(10));
        // The server was started again at 15 s, after the report arrived.
        PendingActivity.ServerTimes times = pending.serverTimes(7, at(15), at(15), null);
        assertEquals(at(15), times.last());
        assertNull(times.reported());
        assertEquals(at(10), pending.serverTimes(7, at(5), at(5), null).reported(), "same run: counted");
    }

    @Test
    void aBatchThatCouldNotBeWrittenIsMergedWithWhatCameSince() {
        PendingActivity pending = new PendingActivity();
        pending.user(1, at(10));
        pending.report(7, at(10), at(10));
        PendingActivity.Batch failed = pending.drain();
        pending.user(1, at(5));
        pending.user(2, at(6));
        pending.keepAlive(7, at(20), at(20));
        pending.restore(failed);
        PendingActivity.Batch retry = pending.drain();
        assertEquals(Map.of(1L, at(10), 2L, at(6)), retry.users());
        // The keep-alive came after a report of the failed batch: it counts as a report.
        assertEquals(new PendingActivity.Server(at(20), at(20), null, at(20)), retry.servers().get(7L));
        assertEquals(3, retry.size());
    }
}
