package io.ganymede.hub.auth.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.auth.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingLoginsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aLoginIsTakenOnce() {
        PendingLogins logins = new PendingLogins(Duration.ofMinutes(10), 10, clock);
        logins.add("s", "n", "v", "/hub/");
        assertEquals("n", logins.take("s").orElseThrow().nonce());
        assertTrue(logins.take("s").isEmpty());
        assertTrue(logins.take(null).isEmpty());
    }

    @Test
    void expiredLoginsAreGoneAndDropped() {
        PendingLogins logins = new PendingLogins(Duration.ofMinutes(10), 10, clock);
        logins.add("old", "n", "v", null);
        clock.advance(Duration.ofMinutes(10));
        assertTrue(logins.take("old").isEmpty());
        logins.add("a", "n", "v", null);
        clock.advance(Duration.ofMinutes(11));
        logins.add("b", "n", "v", null);
        assertEquals(1, logins.size(), "adding drops what expired");
    }

    @Test
    void theOldestLoginMakesRoomWhenFull() {
        PendingLogins logins = new PendingLogins(Duration.ofMinutes(10), 3, clock);
        for (String state : new String[] {"1", "2", "3", "4"}) {
            logins.add(state, "n", "v", null);
        }
        assertEquals(3, logins.size());
        assertTrue(logins.take("1").isEmpty());
        assertTrue(logins.take("4").isPresent());
    }
}
