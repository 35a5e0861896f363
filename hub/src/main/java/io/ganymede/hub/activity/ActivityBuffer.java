package io.ganymede.hub.activity;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Activity reports (the activity API) as the database sees them: kept in memory, newest time per
 * user and server, and written every {@code ganymede.activity.flush-interval} in one transaction
 * of batched updates that only ever move a time forward, and once more at shutdown. A report then
 * costs a map update instead of a transaction. Readers merge what is pending (see the package).
 */
@ApplicationScoped
public class ActivityBuffer {

    private static final Logger LOG = Logger.getLogger(ActivityBuffer.class);

    private static final String USERS = "UPDATE users SET last_activity = ? WHERE id = ?"
            + " AND (last_activity IS NULL OR last_activity < ?)";
    private static final String SERVERS = "UPDATE servers SET last_activity = ? WHERE id = ?"
            + " AND (last_activity IS NULL OR last_activity < ?)";
    /** A keep-alive counts as a report only for a server that has reported this run. */
    private static final String KEEP_ALIVES = "UPDATE servers SET reported_activity = ? WHERE id = ?"
            + " AND reported_activity IS NOT NULL AND reported_activity < ? AND (started IS NULL OR started <= ?)";
    /** Reports received before the row's run started belong to an earlier run (its start cleared them). */
    private static final String REPORTS = "UPDATE servers SET reported_activity = ? WHERE id = ?"
            + " AND (reported_activity IS NULL OR reported_activity < ?) AND (started IS NULL OR started <= ?)";

    private final PendingActivity pending = new PendingActivity();
    private final ActivityConfig config;
    private final Clock clock;
    /** Set once the shutdown flush ran: later reports are written at once. */
    private volatile boolean closed;

    ActivityBuffer(ActivityConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** The user was active at {@code when}; only a time newer than the stored one is kept. */
    public void user(UserEntity user, Instant when) {
        pending.user(user.id, when);
        afterClose();
    }

    /** The server reported its own activity (a report made with its own token). */
    public void report(ServerEntity server, Instant when) {
        pending.report(server.id, when, clock.instant());
        afterClose();
    }

    /** Activity on the user's behalf: a report once the server has reported this run, else like traffic. */
    public void keepAlive(ServerEntity server, Instant when) {
        pending.keepAlive(server.id, when, clock.instant());
        afterClose();
    }

    private void afterClose() {
        if (closed) {
            flush();
        }
    }

    /** The user's last activity, pending reports included. */
    public Instant lastActivity(UserEntity user) {
        return lastActivity(user.id, user.lastActivity);
    }

    /** The user's last activity, pending reports included, from the user's id and stored time. */
    public Instant lastActivity(long userId, Instant stored) {
        return pending.userTime(userId, stored);
    }

    /** The server's last activity, pending reports included. */
    public Instant lastActivity(ServerEntity server) {
        return times(server).last();
    }

    /** The server's own reported activity this run, pending reports included. */
    public Instant reportedActivity(ServerEntity server) {
        return times(server).reported();
    }

    private PendingActivity.ServerTimes times(ServerEntity server) {
        if (server.id == null) {
            // Not recorded (a default server never started, as the API shows one): nothing reported it.
            return new PendingActivity.ServerTimes(server.lastActivity, server.reportedActivity);
        }
        return pending.serverTimes(server.id, server.started, server.lastActivity, server.reportedActivity);
    }

    @Scheduled(every = "${ganymede.activity.flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        flush();
    }

    /**
     * After the other shutdown observers (a stop may still report), before the datasource closes:
     * a clean stop loses no activity.
     */
    void shutdown(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) {
        closed = true;
        flush();
    }

    /**
     * Writes everything pending now, in one transaction. Blocking. A batch that fails is put back
     * for the next flush; no time is ever moved backwards, so writing one twice is harmless.
     */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        PendingActivity.Batch batch = pending.drain();
        try {
            QuarkusTransaction.requiringNew().run(() -> UserEntity.getEntityManager().unwrap(Session.class)
                    .doWork(connection -> write(connection, batch)));
            LOG.debugf("wrote the activity of %d users and servers (every %s)", batch.size(), config.flushInterval());
        } catch (RuntimeException e) {
            pending.restore(batch);
            LOG.warnf("could not write the activity of %d users and servers, kept for the next try: %s",
                    batch.size(), e.getMessage());
        }
    }

    private static void write(Connection connection, PendingActivity.Batch batch) throws SQLException {
        try (PreparedStatement users = connection.prepareStatement(USERS);
                PreparedStatement servers = connection.prepareStatement(SERVERS);
                PreparedStatement keepAlives = connection.prepareStatement(KEEP_ALIVES);
                PreparedStatement reports = connection.prepareStatement(REPORTS)) {
            for (Map.Entry<Long, Instant> user : batch.users().entrySet()) {
                newer(users, user.getKey(), user.getValue());
                users.addBatch();
            }
            boolean anyKeepAlive = false;
            boolean anyReport = false;
            for (Map.Entry<Long, PendingActivity.Server> entry : batch.servers().entrySet()) {
                PendingActivity.Server server = entry.getValue();
                newer(servers, entry.getKey(), server.last());
                servers.addBatch();
                if (server.keepAlive() != null) {
                    newer(keepAlives, entry.getKey(), server.keepAlive());
                    keepAlives.setObject(4, utc(server.received()));
                    keepAlives.addBatch();
                    anyKeepAlive = true;
                }
                if (server.reported() != null) {
                    newer(reports, entry.getKey(), server.reported());
                    reports.setObject(4, utc(server.received()));
                    reports.addBatch();
                    anyReport = true;
                }
            }
            if (!batch.users().isEmpty()) {
                users.executeBatch();
            }
            if (!batch.servers().isEmpty()) {
                servers.executeBatch();
            }
            // Keep-alives first: they count as reports only where the run had reported before this batch.
            if (anyKeepAlive) {
                keepAlives.executeBatch();
            }
            if (anyReport) {
                reports.executeBatch();
            }
        }
    }

    /** Binds {@code SET column = when WHERE id = id AND ... column < when}. */
    private static void newer(PreparedStatement statement, long id, Instant when) throws SQLException {
        OffsetDateTime time = utc(when);
        statement.setObject(1, time);
        statement.setLong(2, id);
        statement.setObject(3, time);
    }

    private static OffsetDateTime utc(Instant when) {
        return when.atOffset(ZoneOffset.UTC);
    }
}
