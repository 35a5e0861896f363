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
 * A code anyone signed in may exchange for a share of one server, until it expires (JupyterHub 5's
 * {@code ShareCode}). Only its hash is kept.
 */
@Entity
@Table(name = "share_codes")
public class ShareCodeEntity extends PanacheEntityBase {

    /** Characters of a code's hash (share_codes.code_hash): hex SHA-256 fits with room. */
    public static final int HASH_LENGTH = 128;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "server_id")
    public ServerEntity server;

    @Column(name = "code_hash", nullable = false, unique = true, length = HASH_LENGTH)
    public String codeHash;

    /** Raw scopes as a JSON list, each with the server's {@code !server=} filter. */
    @Column(nullable = false)
    public String scopes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "exchange_count", nullable = false)
    public int exchangeCount;

    @Column(name = "last_exchanged_at")
    public Instant lastExchangedAt;

    /** JupyterHub's public id of a code: {@code sc_<number>}. */
    public String publicId() {
        return "sc_" + id;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public List<String> scopeList() {
        return JsonColumns.list(scopes);
    }
}
