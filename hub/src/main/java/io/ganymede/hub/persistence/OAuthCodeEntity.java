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

/** A one-time authorization code, stored hashed, exchanged by a server for a user's token. */
@Entity
@Table(name = "oauth_codes")
public class OAuthCodeEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "client_id")
    public OAuthClientEntity client;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id")
    public UserEntity user;

    @Column(name = "code_hash", nullable = false, unique = true, length = 128)
    public String codeHash;

    @Column(name = "redirect_uri", nullable = false, length = OAuthClientEntity.REDIRECT_URI_LENGTH)
    public String redirectUri;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** The PKCE challenge the code was asked with, if any; its verifier must come with the exchange. */
    @Column(name = "code_challenge", length = 255)
    public String codeChallenge;

    /** {@code S256} or {@code plain}. */
    @Column(name = "code_challenge_method", length = 64)
    public String codeChallengeMethod;
}
