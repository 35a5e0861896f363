package io.ganymede.hub.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run of a server, from the moment it runs to its stop: what usage reports and quotas count.
 * Open ({@code stoppedAt} null) while it runs, across hub restarts too.
 */
@Entity
@Table(name = "usage_sessions")
public class UsageSessionEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_name", nullable = false)
    public String userName;

    @Column(name = "server_name", nullable = false)
    public String serverName;

    /** JSON list of the user's groups at the start. */
    @Column(name = "groups_at_start", nullable = false)
    public String groupsAtStart = "[]";

    public String profile;

    @Column(name = "gpu_type")
    public String gpuType;

    @Column(nullable = false)
    public int gpus;

    @Column(nullable = false)
    public double cpus;

    @Column(name = "mem_bytes", nullable = false)
    public long memBytes;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "stopped_at")
    public Instant stoppedAt;

    /** user, admin, culler, max_age, failure, quota, shutdown; null while open. */
    @Column(name = "stop_reason")
    public String stopReason;

    public List<String> groups() {
        return JsonColumns.list(groupsAtStart);
    }

    /** The server's session that has not ended, if any. */
    public static Optional<UsageSessionEntity> open(String userName, String serverName) {
        return find("userName = ?1 and serverName = ?2 and stoppedAt is null order by startedAt desc", userName, serverName)
                .firstResultOptional();
    }

    /** Sessions that overlap {@code [from, to)}. */
    public static List<UsageSessionEntity> overlapping(Instant from, Instant to) {
        return list("startedAt < ?1 and (stoppedAt is null or stoppedAt > ?2) order by startedAt, id", to, from);
    }
}
