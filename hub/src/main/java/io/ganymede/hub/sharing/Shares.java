package io.ganymede.hub.sharing;

import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.ShareEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Granting and revoking shares, and what they give their recipients. As JupyterHub's
 * {@code Share.grant}/{@code revoke}: one share per server and recipient, which granting widens
 * and revoking narrows, and which goes when its last scope does. Callers run in a transaction.
 */
@ApplicationScoped
public class Shares {

    private static final Logger LOG = Logger.getLogger(Shares.class);
    private static final Sort BY_ID = Sort.by("id");

    private final Clock clock;

    Shares(Clock clock) {
        this.clock = clock;
    }

    public Optional<ShareEntity> find(ServerEntity server, Recipient to) {
        return to.user() != null
                ? ShareEntity.find("server = ?1 and user = ?2", server, to.user()).firstResultOptional()
                : ShareEntity.find("server = ?1 and group = ?2", server, to.group()).firstResultOptional();
    }

    /** Adds the scopes (already {@link ShareScopes#confine confined}) to the recipient's share, made if missing. */
    public ShareEntity grant(ServerEntity server, Recipient to, Collection<String> scopes) {
        ShareEntity share = find(server, to).orElse(null);
        if (share == null) {
            share = new ShareEntity();
            share.server = server;
            share.user = to.user();
            share.group = to.group();
            share.createdAt = clock.instant();
            share.scopeList(List.copyOf(new TreeSet<>(scopes)));
            share.persist();
            LOG.infof("Sharing %s on %s with %s", share.scopeList(), server.fullName(), to);
            return share;
        }
        TreeSet<String> widened = new TreeSet<>(share.scopeList());
        if (widened.addAll(scopes)) {
            share.scopeList(List.copyOf(widened));
            LOG.infof("Widened the share of %s with %s to %s", server.fullName(), to, widened);
        }
        return share;
    }

    /**
     * Takes scopes from the recipient's share, all of them when {@code scopes} is null.
     *
     * @return the share left, or empty when none is (never was, or its last scope went)
     */
    public Optional<ShareEntity> revoke(ServerEntity server, Recipient to, Collection<String> scopes) {
        ShareEntity share = find(server, to).orElse(null);
        if (share == null) {
            return Optional.empty();
        }
        List<String> left = new ArrayList<>(share.scopeList());
        if (scopes != null) {
            left.removeAll(scopes);
        } else {
            left.clear();
        }
        if (left.isEmpty()) {
            share.delete();
            LOG.infof("Revoked the share of %s with %s", server.fullName(), to);
            return Optional.empty();
        }
        share.scopeList(left);
        return Optional.of(share);
    }

    /** Removes every share of a server; returns how many there were. */
    public long revokeAll(ServerEntity server) {
        return ShareEntity.delete("server", server);
    }

    /** The raw scopes a user holds through shares with them or with their groups, current at this moment. */
    public List<String> scopesOf(UserEntity user) {
        List<String> raw = new ArrayList<>();
        for (ShareEntity share : with(user).list()) {
            raw.addAll(share.scopeList());
        }
        return raw;
    }

    /** The owner's shares, of all their servers. */
    public PanacheQuery<ShareEntity> ofOwner(UserEntity owner) {
        return ShareEntity.find("server.user", BY_ID, owner);
    }

    public PanacheQuery<ShareEntity> ofServer(ServerEntity server) {
        return ShareEntity.find("server", BY_ID, server);
    }

    /** Shares with a user, directly or through their groups. */
    public PanacheQuery<ShareEntity> with(UserEntity user) {
        if (user.groups.isEmpty()) {
            return ShareEntity.find("user", BY_ID, user);
        }
        return ShareEntity.find("user = ?1 or group in ?2", BY_ID, user, user.groups);
    }

    public PanacheQuery<ShareEntity> with(GroupEntity group) {
        return ShareEntity.find("group", BY_ID, group);
    }
}
