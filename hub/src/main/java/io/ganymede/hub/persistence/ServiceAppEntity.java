package io.ganymede.hub.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * The run of a managed team app: a service whose pod the hub starts when someone allowed first
 * opens {@code /services/<name>/} and stops when idle. Its definition is configuration
 * ({@code ganymede.services.<name>.app}); this row keeps its state and who used it last, which
 * the home and admin pages show.
 */
@Entity
@Table(name = "service_apps")
public class ServiceAppEntity extends PanacheEntityBase {

    /** Where an app's run is. */
    public enum State {
        STOPPED, STARTING, RUNNING, STOPPING;

        /** The column's value: the name in lower case, as the API shows it. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why an app's run ended. */
    public enum StopReason {
        /** The idle stop: no request for its idle timeout. */
        IDLE,
        /** An admin's {@code DELETE /hub/api/services/<name>/app}. */
        ADMIN,
        /** A start that failed, a pod that went away, or a start or stop a dead hub left unfinished. */
        FAILURE;

        /** The column's value: the name in lower case, as the pages show it. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The service's id (services.id): one row per managed app. */
    @Id
    @Column(name = "service_id")
    public Long serviceId;

    /** One of {@link State}'s values, in lower case. */
    @Column(nullable = false, length = 16)
    public String state = State.STOPPED.value();

    /** Where the running app listens; null unless running. */
    @Column(length = ServiceEntity.URL_LENGTH)
    public String url;

    /** The pod (or process) that runs it. */
    @Column(name = "pod_name")
    public String podName;

    @Column(name = "started_at")
    public Instant startedAt;

    /** The last request through the proxy; the idle stop counts from here. */
    @Column(name = "last_activity")
    public Instant lastActivity;

    /** Who opened it last: a user's name, or {@code service:<name>} for a service's token. */
    @Column(name = "last_user")
    public String lastUser;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /** Why the last run ended: one of {@link StopReason}'s values; null before any end. */
    @Column(name = "stop_reason", length = 16)
    public String stopReason;

    /** The message of a failed start. */
    @Column(length = 2048)
    public String message;

    public State stateValue() {
        return State.valueOf(state.toUpperCase(java.util.Locale.ROOT));
    }

    public void state(State value) {
        state = value.value();
    }

    public static Optional<ServiceAppEntity> findByService(long serviceId) {
        return findByIdOptional(serviceId);
    }
}
