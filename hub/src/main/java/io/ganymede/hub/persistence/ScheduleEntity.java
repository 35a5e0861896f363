package io.ganymede.hub.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A recurring server start: a 5-field Unix cron expression in an IANA time zone. Owned by one user
 * (their server starts) or by one group (every member's server starts); never both.
 */
@Entity
@Table(name = "schedules")
public class ScheduleEntity extends PanacheEntityBase {

    /** Characters of a cron expression (schedules.cron). */
    public static final int CRON_LENGTH = 255;
    /** Characters of a time zone id (schedules.time_zone). */
    public static final int TIME_ZONE_LENGTH = 64;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The owner when the schedule is a user's own; null for a group's. */
    @ManyToOne
    @JoinColumn(name = "user_id")
    public UserEntity user;

    /** The owner when the schedule is a group's; null for a user's own. */
    @ManyToOne
    @JoinColumn(name = "group_id")
    public GroupEntity userGroup;

    /** A group schedule's reservation: it runs only inside its window. */
    @ManyToOne
    @JoinColumn(name = "reservation_id")
    public ReservationEntity reservation;

    @Column(name = "server_name", nullable = false, length = ServerEntity.NAME_LENGTH)
    public String serverName = "";

    @Column(nullable = false, length = CRON_LENGTH)
    public String cron;

    @Column(name = "time_zone", nullable = false, length = TIME_ZONE_LENGTH)
    public String timeZone;

    @Column(name = "user_options", nullable = false)
    public String userOptions = "{}";

    /** The next time it is due; the leader starts the server then. */
    @Column(name = "next_run")
    public Instant nextRun;

    /** When it last ran: started its servers, or found them running. */
    @Column(name = "last_run")
    public Instant lastRun;

    @Column(nullable = false)
    public Instant created;
}
