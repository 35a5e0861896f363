package io.ganymede.hub.sharing;

import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.ShareCodeEntity;
import io.ganymede.hub.persistence.ShareEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.tokens.Secrets;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Share codes, as JupyterHub's {@code ShareCode}: issued by the owner with the scopes to share and
 * an expiry, shown once, exchanged by whoever holds one for a share of their own. Expired codes are
 * never listed nor accepted. Callers run in a transaction.
 */
@ApplicationScoped
public class ShareCodes {

    /** JupyterHub's default and bounds for {@code expires_in}: one day, from a minute to a year. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);

    private static final Logger LOG = Logger.getLogger(ShareCodes.class);
    private static final Sort BY_ID = Sort.by("id");

    /** A code just made: the secret exists only here. */
    public record Issued(ShareCodeEntity entity, String code) {}

    private final Clock clock;
    private final Shares shares;

    ShareCodes(Clock clock, Shares shares) {
        this.clock = clock;
        this.shares = shares;
    }

    /** Issues a code for the scopes (already {@link ShareScopes#confine confined}). */
    public Issued issue(ServerEntity server, List<String> scopes, Duration lifetime) {
        String code = Secrets.newSecret();
        ShareCodeEntity entity = new ShareCodeEntity();
        entity.server = server;
        entity.codeHash = Secrets.hash("", code);
        entity.scopes = JsonColumns.writeList(scopes);
        entity.createdAt = clock.instant();
        entity.expiresAt = entity.createdAt.plus(lifetime);
        entity.persist();
        LOG.infof("Issued share code %s for %s, expiring %s", entity.publicId(), server.fullName(), entity.expiresAt);
        return new Issued(entity, code);
    }

    /** The unexpired code matching the secret, if any. */
    public Optional<ShareCodeEntity> find(String code) {
        if (code == null || code.isEmpty()) {
            return Optional.empty();
        }
        return ShareCodeEntity.<ShareCodeEntity>find("codeHash", Secrets.hash("", code)).firstResultOptional()
                .filter(c -> !c.expired(clock.instant()));
    }

    /** Grants the code's scopes to the user; counts the exchange even when nothing new is granted. */
    public ShareEntity exchange(ShareCodeEntity code, UserEntity user) {
        ShareEntity share = shares.grant(code.server, Recipient.of(user), code.scopeList());
        code.exchangeCount++;
        code.lastExchangedAt = clock.instant();
        LOG.infof("Share code %s exchanged by %s", code.publicId(), user.name);
        return share;
    }

    public PanacheQuery<ShareCodeEntity> ofOwner(UserEntity owner) {
        return ShareCodeEntity.find("server.user = ?1 and expiresAt > ?2", BY_ID, owner, clock.instant());
    }

    public PanacheQuery<ShareCodeEntity> ofServer(ServerEntity server) {
        return ShareCodeEntity.find("server = ?1 and expiresAt > ?2", BY_ID, server, clock.instant());
    }

    /** A server's code by its public id ({@code sc_<n>}), expired or not: revoking one is always fine. */
    public Optional<ShareCodeEntity> byPublicId(ServerEntity server, String publicId) {
        if (publicId == null || !publicId.matches("sc_\\d{1,18}")) {
            return Optional.empty();
        }
        return ShareCodeEntity.find("server = ?1 and id = ?2", server, Long.parseLong(publicId.substring(3)))
                .firstResultOptional();
    }

    public long revokeAll(ServerEntity server) {
        return ShareCodeEntity.delete("server", server);
    }
}
