package io.ganymede.hub.spawn;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the hub finds when it starts again (or at any reconciliation): server processes it started
 * but no longer records are stopped, and nothing a start in flight runs is taken for one.
 */
@QuarkusTest
class ServerRecoveryTest {

    @Inject
    ServerAdoption adoption;

    @Test
    void aProcessTheHubNoLongerRecordsIsStopped() throws Exception {
        String token = userWithToken("rosa@example.com");
        startServer(token, "rosa@example.com", "");
        long pid = pid("rosa@example.com", "");
        // The database lost the running server (as an H2 write delay did when the hub was killed).
        QuarkusTransaction.requiringNew().run(() -> {
            ServerEntity server = UserEntity.findByName("rosa@example.com").orElseThrow().server("").orElseThrow();
            server.url = null;
            server.started = null;
            server.spawnerState = "{}";
        });

        adoption.reconcile();

        awaitGone(pid);
        admin().get("/hub/api/users/rosa@example.com").then().statusCode(200)
                .body("servers", org.hamcrest.Matchers.anEmptyMap());
    }

    @Test
    void aStartInFlightIsNoOrphan() throws Exception {
        String token = userWithToken("sol@example.com");
        // "slow" listens after 7 s: its process runs while its start is still in flight.
        as(token).post("/hub/api/users/sol@example.com/servers/slow").then().statusCode(202);
        adoption.reconcile();
        String events = as(token).get("/hub/api/users/sol@example.com/servers/slow/progress").then().statusCode(200)
                .extract().asString();
        assertTrue(events.contains("\"ready\":true"), events);
        long pid = pid("sol@example.com", "slow");
        adoption.reconcile();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "a recorded server is kept");
        as(token).delete("/hub/api/users/sol@example.com/servers/slow").then().statusCode(204);
    }

    private static long pid(String user, String server) {
        String path = "servers.'" + server + "'.state.pid";
        return Long.parseLong(admin().get("/hub/api/users/" + user).then().statusCode(200).extract().path(path));
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < until, "process " + pid + " still runs");
            Thread.sleep(100);
        }
    }
}
