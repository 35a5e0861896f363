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
import java.util.List;
import java.util.Optional;

/** The OAuth client of one single-user server ({@code jupyterhub-user-<name>}) or service ({@code service-<name>}). */
@Entity
@Table(name = "oauth_clients")
public class OAuthClientEntity extends PanacheEntityBase {

    /** Characters of a client id (oauth_clients.identifier), {@code jupyterhub-user-} and the escaped names. */
    public static final int IDENTIFIER_LENGTH = 255;
    /** Characters of a redirect URI (oauth_clients.redirect_uri, oauth_codes.redirect_uri). */
    public static final int REDIRECT_URI_LENGTH = 2048;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, length = IDENTIFIER_LENGTH)
    public String identifier;

    @ManyToOne
    @JoinColumn(name = "server_id")
    public ServerEntity server;

    @ManyToOne
    @JoinColumn(name = "service_id")
    public ServiceEntity service;

    @Column(name = "secret_salt", nullable = false, length = 64)
    public String secretSalt;

    @Column(name = "secret_hash", nullable = false, length = 128)
    public String secretHash;

    @Column(name = "redirect_uri", nullable = false, length = REDIRECT_URI_LENGTH)
    public String redirectUri;

    /** The scopes tokens issued to this client carry, as a JSON list (see {@link TokenEntity#scopes}). */
    @Column(name = "allowed_scopes", nullable = false)
    public String allowedScopes;

    public static Optional<OAuthClientEntity> findByIdentifier(String identifier) {
        return find("identifier", identifier).firstResultOptional();
    }

    public List<String> allowedScopeList() {
        return JsonColumns.list(allowedScopes);
    }

    public void allowedScopeList(List<String> scopes) {
        allowedScopes = JsonColumns.writeList(scopes);
    }
}
