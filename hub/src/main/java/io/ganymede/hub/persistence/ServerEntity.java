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

/** A user's server, default ({@code name = ""}) or named. {@code url} is set only while it runs. */
@Entity
@Table(name = "servers")
public class ServerEntity extends PanacheEntityBase {

    /** Characters a server name may have (servers.name); the API's own rule for names is stricter. */
    public static final int NAME_LENGTH = 255;
    /** Characters of the URL a server listens at (servers.url). */
    public static final int URL_LENGTH = 2048;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id")
    public UserEntity user;

    @Column(nullable = false, length = NAME_LENGTH)
    public String name;

    /** How pages show it (JupyterHub 6.0); null for a server recorded before, shown by its name. */
    @Column(name = "display_name", length = NAME_LENGTH)
    public String displayName;

    /** Where the server listens (the proxy route's target); null when stopped. */
    @Column(length = URL_LENGTH)
    public String url;

    public Instant started;

    /** When the start in flight began (on whichever replica); null when none is. */
    @Column(name = "pending_since")
    public Instant pendingSince;

    /** The replica that runs the start in flight ({@code HubLeadership.identity()}). */
    @Column(name = "pending_by")
    public String pendingBy;

    @Column(name = "last_activity")
    public Instant lastActivity;

    /** Activity the server reported itself this run (activity API, /api/status), without proxy traffic; cleared at each start. */
    @Column(name = "reported_activity")
    public Instant reportedActivity;

    @Column(name = "user_options", nullable = false)
    public String userOptions = "{}";

    @Column(name = "spawner_state", nullable = false)
    public String spawnerState = "{}";

    @Column(name = "route_data", nullable = false)
    public String routeData = "{}";

    /** The display name, or the name for a server that has none (the default server: ""). */
    public String shownName() {
        return displayName == null ? name : displayName;
    }

    public boolean running() {
        return url != null;
    }

    /** {@code alice/} for the default server, {@code alice/gpu} for a named one (scope filters). */
    public String fullName() {
        return user.name + "/" + name;
    }

    public void touch(Instant when) {
        if (when != null && (lastActivity == null || when.isAfter(lastActivity))) {
            lastActivity = when;
        }
    }

    /** Activity the server reported itself (its own token, or Jupyter's /api/status). */
    public void report(Instant when) {
        touch(when);
        if (when != null && (reportedActivity == null || when.isAfter(reportedActivity))) {
            reportedActivity = when;
        }
    }
}
