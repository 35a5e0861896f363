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
 * A secret that authenticates as a user (an API token, a hub session or an OAuth access token)
 * or as a service (its API token).
 */
@Entity
@Table(name = "api_tokens")
public class TokenEntity extends PanacheEntityBase {

    /** What the token is for; sessions are never listed as API tokens. */
    public enum Kind { api, session, oauth, server }

    /** Characters of a token's note (api_tokens.note). */
    public static final int NOTE_LENGTH = 1024;
    /** Characters of the issuing OAuth client's id (api_tokens.client_id), as {@link OAuthClientEntity#IDENTIFIER_LENGTH}. */
    public static final int CLIENT_ID_LENGTH = 255;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The owning user; null for a service's token. */
    @ManyToOne
    @JoinColumn(name = "user_id")
    public UserEntity user;

    /** The owning service; null for a user's token. */
    @ManyToOne
    @JoinColumn(name = "service_id")
    public ServiceEntity service;

    /** Set for a server's own token: it dies with the server. */
    @ManyToOne
    @JoinColumn(name = "server_id")
    public ServerEntity server;

    @Column(nullable = false, length = 16)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Kind kind;

    @Column(nullable = false, length = 16)
    public String prefix;

    @Column(nullable = false, length = 64)
    public String salt;

    @Column(nullable = false, length = 128)
    public String hash;

    /** {@code jupyterhub} for tokens the hub issues itself, the OAuth client's id otherwise. */
    @Column(name = "client_id", nullable = false, length = CLIENT_ID_LENGTH)
    public String clientId = "jupyterhub";

    @Column(length = NOTE_LENGTH)
    public String note;

    /**
     * Raw scopes (roles already expanded to scopes) as a JSON list: a scope's filter may name a
     * user or server with a space in it, so no separator character is safe.
     */
    @Column(nullable = false)
    public String scopes;

    @Column(nullable = false)
    public Instant created;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_activity")
    public Instant lastActivity;

    /** JupyterHub's public token id: {@code a<number>}. */
    public String publicId() {
        return "a" + id;
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public List<String> scopeList() {
        return JsonColumns.list(scopes);
    }

    public void scopeList(List<String> raw) {
        scopes = JsonColumns.writeList(raw);
    }
}
