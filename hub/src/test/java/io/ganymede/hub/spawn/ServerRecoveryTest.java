package io.ganymede.hub.spawn;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UsageSessionEntity;
import io.ganymede.hub.usage.Session;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.proxy.ProxyClient;
import io.quarkus.arc.ClientProxy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the hub finds when it starts again (or at any reconciliation): server processes it started
 * but no longer records are stopped, and nothing a start in flight runs is taken for one; servers
 * whose start a dead hub left unfinished are adopted, and reported ready only with their route.
 * Usage sessions follow: an adopted server continues its session (or gets one if its start was
 * never recorded), and a server found gone or a start undone ends its session as a failure.
 */
@QuarkusTest
class ServerRecoveryTest {

    @Inject
    ServerAdoption adoption;

    @Inject
    ProxyClient proxy;

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

    @Test
    void anAdoptedServerIsReadyOnlyOnceItHasItsRoute() throws Exception {
        String token = userWithToken("tess@example.com");
        startServer(token, "tess@example.com", "");
        long pid = pid("tess@example.com", "");
        Session before = openSession("tess@example.com").orElseThrow();
        // Its start was left unfinished by a hub that died after recording the server's address;
        // the hub's proxy started again with no routes.
        leftUnfinished("tess@example.com", Instant.now().minus(Duration.ofDays(1)), null, true);
        proxy.deleteRoute("/user/tess@example.com/").await().atMost(Duration.ofSeconds(5));

        adoption.reconcile();

        awaitReadyWithRoute("tess@example.com", "/user/tess@example.com");
        assertEquals(pid, pid("tess@example.com", ""), "the running server is kept, not started again");
        assertEquals(before, openSession("tess@example.com").orElseThrow(), "an adopted server continues its session");
        as(token).delete("/hub/api/users/tess@example.com/server").then().statusCode(204);
        Session closed = session(before.id());
        assertEquals("user", closed.stopReason());
        assertTrue(closed.stopped().isAfter(closed.started()));
    }

    @Test
    void aProcessAStartLeftUnrecordedIsAdoptedWithItsRoute() throws Exception {
        String token = userWithToken("ugo@example.com");
        startServer(token, "ugo@example.com", "");
        long pid = pid("ugo@example.com", "");
        // The hub died between starting the process and recording it: only its pid file knows it,
        // and no session was opened.
        leftUnfinished("ugo@example.com", Instant.now().minus(Duration.ofDays(1)), null, false);
        QuarkusTransaction.requiringNew().run(() -> UsageSessionEntity.delete("userName", "ugo@example.com"));
        proxy.deleteRoute("/user/ugo@example.com/").await().atMost(Duration.ofSeconds(5));

        adoption.reconcile();

        awaitReadyWithRoute("ugo@example.com", "/user/ugo@example.com");
        assertEquals(pid, pid("ugo@example.com", ""));
        Session adopted = openSession("ugo@example.com").orElseThrow(() -> new AssertionError("an adopted server without a session gets one"));
        assertEquals(java.util.List.of(), adopted.groups());
        as(token).delete("/hub/api/users/ugo@example.com/server").then().statusCode(204);
        assertEquals("user", session(adopted.id()).stopReason());
    }

    @Test
    void aLoneHubSettlesAtOnceTheStartsItsEarlierRunLeft() throws Exception {
        String vera = userWithToken("vera@example.com");
        startServer(vera, "vera@example.com", "");
        long veraPid = pid("vera@example.com", "");
        String walt = userWithToken("walt@example.com");
        startServer(walt, "walt@example.com", "");
        long waltPid = pid("walt@example.com", "");
        long waltSession = openSession("walt@example.com").orElseThrow().id();
        ProcessHandle.of(waltPid).ifPresent(ProcessHandle::destroyForcibly);
        awaitGone(waltPid);
        // Held, so no scheduled pass settles them while they are checked unsettled.
        synchronized (ClientProxy.unwrap(adoption)) {
            // The hub was killed while both starts were in flight: vera's just begun (its server
            // came up), walt's long ago in a run that named no replica (its process died since).
            leftUnfinished("vera@example.com", Instant.now(), "the-hub-killed-just-now", true);
            leftUnfinished("walt@example.com", Instant.now().minus(Duration.ofDays(1)), null, true);
            proxy.deleteRoute("/user/vera@example.com/").await().atMost(Duration.ofSeconds(5));
            // Until settled, a start is pending, and neither server is reported ready.
            for (String user : new String[] {"vera@example.com", "walt@example.com"}) {
                admin().get("/hub/api/users/" + user).then().statusCode(200)
                        .body("servers.''.pending", equalTo("spawn")).body("servers.''.ready", equalTo(false));
            }
            // Asking for a server whose start is still to settle is a 202, not "already running".
            as(vera).post("/hub/api/users/vera@example.com/server").then().statusCode(202);
        }

        long settling = System.nanoTime();
        adoption.reconcile();

        // No other hub can be running them: settled at once, not after start, http and poll timeouts.
        awaitReadyWithRoute("vera@example.com", "/user/vera@example.com");
        assertEquals(veraPid, pid("vera@example.com", ""));
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!admin().get("/hub/api/users/walt@example.com").then().extract().path("servers").equals(Map.of())) {
            assertTrue(System.nanoTime() < until, "walt's start never undone");
            Thread.sleep(20);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - settling);
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "settled in " + took);
        assertEquals("failure", session(waltSession).stopReason(), "the session of a server that died is closed as a failure");
        as(vera).delete("/hub/api/users/vera@example.com/server").then().statusCode(204);
    }

    @Test
    void aSessionOpenAtARestartStaysOpenAndEndsWhenItsServerIsFoundGone() throws Exception {
        String token = userWithToken("xena@example.com");
        startServer(token, "xena@example.com", "");
        long pid = pid("xena@example.com", "");
        Session running = openSession("xena@example.com").orElseThrow();
        // A hub starting again catches up: a running server keeps its session.
        adoption.reconcile();
        assertEquals(running, openSession("xena@example.com").orElseThrow());
        // The server went away while no hub watched; the next pass finds it gone.
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        awaitGone(pid);
        adoption.reconcile();
        Session ended = session(running.id());
        assertEquals("failure", ended.stopReason());
        assertTrue(openSession("xena@example.com").isEmpty());
    }

    private static Optional<Session> openSession(String user) {
        return QuarkusTransaction.requiringNew().call(() -> UsageSessionEntity.open(user, "").map(Session::of));
    }

    private static Session session(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Session.of(UsageSessionEntity.findById(id)));
    }

    /** The server's default server as a start left it when its hub ({@code by}) died at {@code since}. */
    private static void leftUnfinished(String user, Instant since, String by, boolean recorded) {
        QuarkusTransaction.requiringNew().run(() -> {
            ServerEntity server = UserEntity.findByName(user).orElseThrow().server("").orElseThrow();
            server.pendingSince = since;
            server.pendingBy = by;
            if (!recorded) {
                server.url = null;
                server.started = null;
                server.spawnerState = "{}";
            }
        });
    }

    /** Waits for the server to be reported ready, and checks that its route was there by then. */
    private static void awaitReadyWithRoute(String user, String route) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Boolean.TRUE.equals(admin().get("/hub/api/users/" + user).then().statusCode(200).extract().path("servers.''.ready"))) {
            assertTrue(System.nanoTime() < until, user + "'s server never became ready");
            Thread.sleep(20);
        }
        Map<String, Object> routes = admin().get("/hub/api/proxy").then().statusCode(200).extract().as(Map.class);
        assertTrue(routes.containsKey(route), user + " was reported ready without its route: " + routes.keySet());
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
