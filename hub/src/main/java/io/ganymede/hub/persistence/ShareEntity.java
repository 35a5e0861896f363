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
import java.util.List;

/**
 * Scopes on one server granted by its owner to one user or one group (JupyterHub 5's
 * {@code Share}). The owner is the server's user.
 */
@Entity
@Table(name = "shares")
public class ShareEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "server_id")
    public ServerEntity server;

    /** The user it is shared with, or null when it is shared with {@link #group}. */
    @ManyToOne
    @JoinColumn(name = "user_id")
    public UserEntity user;

    @ManyToOne
    @JoinColumn(name = "group_id")
    public GroupEntity group;

    /** Raw scopes as a JSON list, each with the server's {@code !server=} filter. */
    @Column(nullable = false)
    public String scopes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public List<String> scopeList() {
        return JsonColumns.list(scopes);
    }

    public void scopeList(List<String> raw) {
        scopes = JsonColumns.writeList(raw);
    }
}
