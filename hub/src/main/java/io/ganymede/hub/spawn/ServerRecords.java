package io.ganymede.hub.spawn;

import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnRequest;
import io.ganymede.hub.spawner.SpawnResult;
import io.ganymede.hub.usage.SessionFacts;
import io.ganymede.hub.usage.SessionLedger;
import io.ganymede.hub.usage.StopReason;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the database says of a server at each step of its lifecycle, each step one transaction of
 * its own: started (it runs, with an address), ready (the start is over), adopting (a start
 * another replica left unfinished goes on here), stopped. Each step that starts or ends a run
 * opens or closes its usage session in the same transaction.
 */
@ApplicationScoped
class ServerRecords {

    private final ServerCredentials credentials;
    private final SessionLedger ledger;
    private final Clock clock;

    ServerRecords(ServerCredentials credentials, SessionLedger ledger, Clock clock) {
        this.credentials = credentials;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The server runs with an address; its start goes on (readiness, route). */
    void started(SpawnRequest request, SpawnResult result) {
        QuarkusTransaction.requiringNew().run(() -> find(request.user(), request.serverName()).ifPresent(server -> {
            server.url = result.url();
            server.started = clock.instant();
            server.lastActivity = server.started;
            // Reports of an earlier run must not make the culler trust this one's (see culler package).
            server.reportedActivity = null;
            server.spawnerState = JsonColumns.write(result.state());
            server.routeData = JsonColumns.write(result.routeData());
            ledger.open(request.user(), request.serverName(), List.copyOf(server.user.groupNames()),
                    SessionFacts.of(request.spec()), server.started);
        }));
    }

    /** The start is over: from now on the route check keeps the server's route. */
    void ready(String userName, String serverName) {
        QuarkusTransaction.requiringNew().run(() -> find(userName, serverName).ifPresent(server -> {
            server.pendingSince = null;
            server.pendingBy = null;
        }));
    }

    /**
     * Takes over a start left unfinished (its replica died) whose server runs: {@code found}, the
     * spawner's {@link io.ganymede.hub.spawner.Spawner#adopt} result, stands for the start's own,
     * and the start goes on here (readiness, route). Claimed with one conditional write on the
     * start as read ({@code since}): false when another pass or replica got there first.
     */
    boolean adopting(String userName, String serverName, Instant since, String by, SpawnResult found, SessionFacts facts) {
        return QuarkusTransaction.requiringNew().call(() -> find(userName, serverName).map(server -> {
            Instant now = clock.instant();
            if (ServerEntity.update("pendingSince = ?1, pendingBy = ?2 where id = ?3 and pendingSince = ?4",
                    now, by, server.id, since) == 0) {
                return false;
            }
            server.pendingSince = now;
            server.pendingBy = by;
            server.url = found.url();
            server.started = server.started != null ? server.started : now;
            server.lastActivity = server.lastActivity != null ? server.lastActivity : now;
            server.spawnerState = JsonColumns.write(found.state());
            server.routeData = JsonColumns.write(found.routeData());
            ledger.continueOrOpen(userName, serverName, List.copyOf(server.user.groupNames()), facts, server.started);
            return true;
        }).orElse(false));
    }

    /** Stopped, or never started: no address, no start, and the server's credentials revoked. */
    void stopped(String userName, String serverName, StopReason reason) {
        QuarkusTransaction.requiringNew().run(() -> find(userName, serverName).ifPresent(server -> {
            ledger.close(userName, serverName, reason, clock.instant());
            server.url = null;
            server.started = null;
            server.pendingSince = null;
            server.pendingBy = null;
            credentials.revoke(server);
        }));
    }

    /** A start in flight is recorded, on whichever replica (or left to settle). */
    boolean starting(String userName, String serverName) {
        return QuarkusTransaction.requiringNew().call(() -> find(userName, serverName).map(s -> s.pendingSince != null).orElse(false));
    }

    /** A start left unfinished whose server never came up, recorded stopped if it is still the one recorded {@code since}. */
    void undone(String userName, String serverName, Instant since) {
        QuarkusTransaction.requiringNew().run(() -> find(userName, serverName).ifPresent(server -> {
            if (ServerEntity.update("pendingSince = null, pendingBy = null where id = ?1 and pendingSince = ?2", server.id, since) == 1) {
                ledger.close(userName, serverName, StopReason.FAILURE, clock.instant());
                server.url = null;
                server.started = null;
                server.pendingSince = null;
                server.pendingBy = null;
                credentials.revoke(server);
            }
        }));
    }

    /** The options of the server's last start (empty if none). */
    Map<String, Object> options(String userName, String serverName) {
        return QuarkusTransaction.requiringNew().call(() -> find(userName, serverName)
                .map(s -> JsonColumns.object(s.userOptions)).orElse(Map.of()));
    }

    /** What the spawner stored for the server last time (empty if none). */
    Map<String, String> state(String userName, String serverName) {
        return QuarkusTransaction.requiringNew().call(() -> find(userName, serverName)
                .map(s -> JsonColumns.strings(s.spawnerState)).orElse(Map.of()));
    }

    /** The server as recorded running. */
    Optional<ServerHandle> running(String userName, String serverName) {
        return QuarkusTransaction.requiringNew().call(() -> find(userName, serverName)
                .filter(ServerEntity::running)
                .map(s -> new ServerHandle(userName, serverName, JsonColumns.strings(s.spawnerState))));
    }

    /** Within a transaction. */
    static Optional<ServerEntity> find(String userName, String serverName) {
        return ServerEntity.find("user.name = ?1 and name = ?2", userName, serverName).firstResultOptional();
    }
}
