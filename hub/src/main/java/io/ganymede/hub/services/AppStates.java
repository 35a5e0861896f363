package io.ganymede.hub.services;

import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the pages and the API show of a managed team app's run: its state from
 * {@code service_apps} (no row yet: stopped), and when it will be stopped if nobody uses it.
 * Only reads; the app's lifecycle ({@code io.ganymede.hub.apps}) writes the rows. Callers run in
 * a transaction.
 */
@ApplicationScoped
public class AppStates {

    private final Services services;

    AppStates(Services services) {
        this.services = services;
    }

    /** The run of a managed app; empty for a service that is not one. */
    public Optional<AppState> of(ServiceEntity service) {
        return services.app(service.name).map(app -> ServiceAppEntity.findByService(service.id)
                .map(row -> AppState.of(row, app.idleTimeout()))
                .orElse(AppState.NEVER_STARTED));
    }

    /**
     * When an app unused since {@code lastActivity} is stopped, the idle stop's one rule: its
     * idle timeout after its last request, or after its start when it had none since.
     */
    public static Instant idleStopAt(Instant lastActivity, Instant started, Duration idleTimeout) {
        Instant since = lastActivity == null || started != null && started.isAfter(lastActivity) ? started : lastActivity;
        return since == null ? null : since.plus(idleTimeout);
    }

    /**
     * A managed app's run as shown.
     *
     * @param state stopped, starting, running or stopping
     * @param started when the current run (or, stopped, the last one) started
     * @param idleStopAt when a running app will be stopped unless used before: its last request
     *     (or its start, before any) plus its idle timeout; null unless running
     * @param lastUser who opened it last: a user's name, or {@code service:<name>}
     * @param stopReason why its last run ended: idle, admin or failure
     * @param message why its last run failed (a start that failed, a pod that went away)
     */
    public record AppState(String state, Instant started, Instant lastActivity, Instant idleStopAt, String lastUser,
            Instant lastUsedAt, String stopReason, String message) {

        static final AppState NEVER_STARTED = new AppState(ServiceAppEntity.State.STOPPED.value(), null, null, null,
                null, null, null, null);

        static AppState of(ServiceAppEntity row, Duration idleTimeout) {
            boolean running = row.stateValue() == ServiceAppEntity.State.RUNNING;
            Instant idleStopAt = running ? AppStates.idleStopAt(row.lastActivity, row.startedAt, idleTimeout) : null;
            return new AppState(row.state, row.startedAt, row.lastActivity, idleStopAt, row.lastUser,
                    row.lastUsedAt, row.stopReason, row.message);
        }

        public boolean running() {
            return ServiceAppEntity.State.RUNNING.value().equals(state);
        }

        public boolean stopped() {
            return ServiceAppEntity.State.STOPPED.value().equals(state);
        }
    }
}
