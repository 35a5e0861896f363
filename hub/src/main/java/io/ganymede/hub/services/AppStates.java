package io.ganymede.hub.services;

import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * What the pages and the API show of a managed team app's run: its state from
 * {@code service_apps} (no row yet: stopped), and when it will be stopped if nobody uses it.
 * Only reads; the app's lifecycle writes the rows. Callers run in a transaction.
 */
@ApplicationScoped
public class AppStates {

    /** The idle timeout of an app that does not set one. */
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    private final Config config;

    AppStates(Config config) {
        this.config = config;
    }

    /**
     * Whether the service is a managed app: its configuration has an {@code app} with an image
     * or a command ({@code ganymede.services.<name>.app.*}).
     */
    public boolean managed(String service) {
        String app = appKey(service);
        return config.getOptionalValue(app + "image", String.class).isPresent()
                || config.getOptionalValues(app + "command", String.class).isPresent();
    }

    /** How long the app may go without a request before it is stopped ({@code app.idle-timeout}). */
    public Duration idleTimeout(String service) {
        return config.getOptionalValue(appKey(service) + "idle-timeout", Duration.class).orElse(DEFAULT_IDLE_TIMEOUT);
    }

    /** The run of a managed app; empty for a service that is not one. */
    public Optional<AppState> of(ServiceEntity service) {
        if (!managed(service.name)) {
            return Optional.empty();
        }
        return Optional.of(ServiceAppEntity.findByService(service.id)
                .map(row -> AppState.of(row, idleTimeout(service.name)))
                .orElse(AppState.NEVER_STARTED));
    }

    private static String appKey(String service) {
        // A name with a dot is quoted in a configuration key, as SmallRye Config reads map keys.
        String key = service.contains(".") ? "\"" + service + "\"" : service;
        return "ganymede.services." + key + ".app.";
    }

    /**
     * A managed app's run as shown.
     *
     * @param state stopped, starting, running or stopping
     * @param started when the current run (or, stopped, the last one) started
     * @param idleStopAt when a running app will be stopped unless used before: its last request
     *     (or its start, before any) plus its idle timeout; null unless running
     * @param lastUser who opened it last: a user's name, or {@code service:<name>}
     * @param stopReason why its last run ended: idle, admin, failure or shutdown
     * @param message why its last start failed
     */
    public record AppState(String state, Instant started, Instant lastActivity, Instant idleStopAt, String lastUser,
            Instant lastUsedAt, String stopReason, String message) {

        static final AppState NEVER_STARTED = new AppState(ServiceAppEntity.State.STOPPED.value(), null, null, null,
                null, null, null, null);

        static AppState of(ServiceAppEntity row, Duration idleTimeout) {
            boolean running = row.stateValue() == ServiceAppEntity.State.RUNNING;
            Instant idleSince = row.lastActivity != null ? row.lastActivity : row.startedAt;
            Instant idleStopAt = running && idleSince != null ? idleSince.plus(idleTimeout) : null;
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
