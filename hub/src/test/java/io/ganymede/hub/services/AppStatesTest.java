package io.ganymede.hub.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.services.AppStates.AppState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a managed app's run is stopped if idle, as the pages and the API show it. */
class AppStatesTest {

    static final Instant STARTED = Instant.parse("2026-12-07T09:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(45);

    @Test
    void aRunningAppStopsItsIdleTimeoutAfterItsLastRequest() {
        ServiceAppEntity row = row(ServiceAppEntity.State.RUNNING);
        row.lastActivity = STARTED.plus(Duration.ofMinutes(20));
        AppState state = AppState.of(row, TIMEOUT);
        assertTrue(state.running());
        assertEquals(Instant.parse("2026-12-07T10:05:00Z"), state.idleStopAt());
        assertEquals(STARTED, state.started());
    }

    @Test
    void beforeAnyRequestItCountsFromTheStart() {
        assertEquals(STARTED.plus(TIMEOUT), AppState.of(row(ServiceAppEntity.State.RUNNING), TIMEOUT).idleStopAt());
    }

    @Test
    void aRequestOfAnEarlierRunDoesNotShortenThisOne() {
        // The idle stop's own rule (AppIdleStop) and what the pages show are this one function.
        assertEquals(STARTED.plus(TIMEOUT), AppStates.idleStopAt(STARTED.minus(Duration.ofDays(1)), STARTED, TIMEOUT));
        assertEquals(STARTED.plus(Duration.ofMinutes(5)).plus(TIMEOUT),
                AppStates.idleStopAt(STARTED.plus(Duration.ofMinutes(5)), STARTED, TIMEOUT));
        assertNull(AppStates.idleStopAt(null, null, TIMEOUT));
    }

    @Test
    void onlyARunningAppHasAnIdleStop() {
        for (ServiceAppEntity.State s : new ServiceAppEntity.State[] {ServiceAppEntity.State.STARTING,
                ServiceAppEntity.State.STOPPING, ServiceAppEntity.State.STOPPED}) {
            ServiceAppEntity row = row(s);
            row.lastActivity = STARTED;
            AppState state = AppState.of(row, TIMEOUT);
            assertNull(state.idleStopAt(), s.value());
            assertEquals(s.value(), state.state());
        }
        assertTrue(AppState.NEVER_STARTED.stopped());
        assertNull(AppState.NEVER_STARTED.started());
    }

    private static ServiceAppEntity row(ServiceAppEntity.State state) {
        ServiceAppEntity row = new ServiceAppEntity();
        row.state(state);
        row.startedAt = STARTED;
        return row;
    }
}
