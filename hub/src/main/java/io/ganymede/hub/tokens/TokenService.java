package io.ganymede.hub.tokens;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Issues, finds and revokes tokens. Secrets leave this class once, at issue time. */
@ApplicationScoped
public class TokenService {

    /** Characters of the secret kept in clear to narrow the lookup; 8 of 43 leaves 210 bits secret. */
    static final int PREFIX_LENGTH = 8;
    /** JupyterHub keeps 4 ({@code orm.Hashed.prefix_length}): tokens imported from it are found by those. */
    static final int JUPYTERHUB_PREFIX_LENGTH = 4;
    /** last_activity is written at most this often per token, so reads do not turn into writes. */
    private static final Duration ACTIVITY_RESOLUTION = Duration.ofSeconds(30);

    private final Clock clock;

    TokenService(Clock clock) {
        this.clock = clock;
    }

    /** A token and its secret, which is shown once and never stored. */
    public record Issued(TokenEntity token, String secret) {}

    @Transactional
    public Issued issue(UserEntity user, TokenEntity.Kind kind, Collection<String> scopes, String note,
            Duration expiresIn, ServerEntity server, String clientId) {
        TokenEntity token = new TokenEntity();
        token.user = user;
        token.server = server;
        return store(token, Secrets.newSecret(), kind, scopes, note, expiresIn, clientId);
    }

    /**
     * Keeps a service's API token with the secret its definition gives ({@code api_token}), as
     * JupyterHub stores it: the service's scopes, {@code inherit}, with no expiry.
     *
     * @throws IllegalArgumentException for a secret shorter than the lookup prefix (JupyterHub
     *     refuses tokens under 8 characters too)
     */
    @Transactional
    public TokenEntity storeServiceToken(ServiceEntity service, String secret, String note) {
        if (secret.length() < PREFIX_LENGTH) {
            throw new IllegalArgumentException("Service " + service.name + ": api_token must have at least "
                    + PREFIX_LENGTH + " characters");
        }
        TokenEntity token = new TokenEntity();
        token.service = service;
        return store(token, secret, TokenEntity.Kind.api, List.of("inherit"), note, null, null).token();
    }

    private Issued store(TokenEntity token, String secret, TokenEntity.Kind kind, Collection<String> scopes, String note,
            Duration expiresIn, String clientId) {
        token.kind = kind;
        token.prefix = secret.substring(0, PREFIX_LENGTH);
        token.salt = Secrets.newSalt();
        token.hash = Secrets.hash(token.salt, secret);
        token.clientId = clientId == null ? "jupyterhub" : clientId;
        token.note = note;
        token.scopeList(List.copyOf(scopes));
        token.created = clock.instant();
        token.expiresAt = expiresIn == null ? null : token.created.plus(expiresIn);
        token.persist();
        return new Issued(token, secret);
    }

    /** The live token with this secret, if any; records its use. */
    @Transactional
    public Optional<TokenEntity> find(String secret) {
        if (secret == null || secret.length() < PREFIX_LENGTH) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<TokenEntity> candidates = TokenEntity.list("prefix in ?1",
                List.of(secret.substring(0, PREFIX_LENGTH), secret.substring(0, JUPYTERHUB_PREFIX_LENGTH)));
        for (TokenEntity token : candidates) {
            if (Secrets.matches(token.salt, token.hash, secret)) {
                if (token.expired(now)) {
                    token.delete();
                    return Optional.empty();
                }
                if (token.lastActivity == null || token.lastActivity.plus(ACTIVITY_RESOLUTION).isBefore(now)) {
                    token.lastActivity = now;
                }
                return Optional.of(token);
            }
        }
        return Optional.empty();
    }

    /** Tokens a user can see and manage: API and OAuth tokens, not sessions or server tokens. */
    public List<TokenEntity> listed(UserEntity user) {
        Instant now = clock.instant();
        return TokenEntity.<TokenEntity>list("user = ?1 and kind in ?2 order by id", user,
                        List.of(TokenEntity.Kind.api, TokenEntity.Kind.oauth))
                .stream().filter(t -> !t.expired(now)).toList();
    }

    /** Revokes every OAuth token a client issued for a user (what deleting one such token means). */
    @Transactional
    public long revokeClient(UserEntity user, String clientId) {
        return TokenEntity.delete("user = ?1 and clientId = ?2 and kind = ?3", user, clientId, TokenEntity.Kind.oauth);
    }

    /** Revokes the OAuth tokens issued to any of the user's servers (on logout). */
    @Transactional
    public long revokeOAuth(UserEntity user) {
        return TokenEntity.delete("user = ?1 and kind = ?2", user, TokenEntity.Kind.oauth);
    }
}
