package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.ShareCodeEntity;
import io.ganymede.hub.persistence.ShareEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.sharing.ShareCodes;
import io.ganymede.hub.sharing.Shares;
import io.ganymede.hub.spawn.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The home page's sharing: the servers others share with the user, directly or through a group,
 * and, for each of the user's servers they may share (they hold {@code shares} on it, which only a
 * custom role gives), who holds a share and which links are live. The page's buttons change them
 * through the sharing API, so this only reads. Callers run in a transaction.
 */
@ApplicationScoped
public class HomeShares {

    /**
     * A server shared with the user.
     *
     * @param via "you", or the groups it is shared with, for the page to say why it is listed
     * @param leaveUrl the API path that drops the user's own share; null when only a group holds one
     */
    public record Received(String owner, String label, String url, boolean running, List<String> via,
            String leaveUrl) {}

    /** One of the user's servers they may share, with its shares and live links. */
    public record Shareable(String name, String label, String sharesUrl, String codesUrl, List<Holder> holders,
            List<Link> links) {}

    /**
     * Who holds a share of a server.
     *
     * @param revokeBody the JSON body of the {@code PATCH} that takes the whole share away
     */
    public record Holder(String kind, String name, List<String> scopes, String revokeBody) {}

    /** A live share link; its code was shown once, when made, so only its id and use are known. */
    public record Link(String id, String expiresAt, int exchanges, String revokeUrl) {}

    private final Shares shares;
    private final ShareCodes codes;

    HomeShares(Shares shares, ShareCodes codes) {
        this.shares = shares;
        this.codes = codes;
    }

    /** Servers shared with the user, one row per server however many shares reach them. */
    public List<Received> received(UserEntity user) {
        Map<Long, ShareEntity> first = new LinkedHashMap<>();
        Map<Long, List<String>> via = new LinkedHashMap<>();
        Map<Long, String> leave = new LinkedHashMap<>();
        for (ShareEntity share : shares.with(user).list()) {
            ServerEntity server = share.server;
            first.putIfAbsent(server.id, share);
            via.computeIfAbsent(server.id, id -> new ArrayList<>())
                    .add(share.user != null ? "you" : "group " + share.group.name);
            if (share.user != null) {
                leave.put(server.id, "/hub/api/users/" + Urls.escape(user.name) + "/shared/"
                        + serverPath(server));
            }
        }
        List<Received> rows = new ArrayList<>();
        for (ShareEntity share : first.values()) {
            ServerEntity server = share.server;
            rows.add(new Received(server.user.name, label(server), Urls.serverPrefix(server.user.name, server.name),
                    server.running(), via.get(server.id), leave.get(server.id)));
        }
        rows.sort(Comparator.comparing(Received::owner).thenComparing(Received::label));
        return rows;
    }

    /** The user's servers that {@code permissions} may share, default first. */
    public List<Shareable> shareable(UserEntity user, Permissions permissions) {
        List<ServerEntity> servers = new ArrayList<>(user.servers);
        servers.sort(Comparator.comparing((ServerEntity s) -> !s.name.isEmpty()).thenComparing(s -> s.name));
        List<Shareable> out = new ArrayList<>();
        for (ServerEntity server : servers) {
            if (!permissions.allows("shares", Target.server(user.name, server.name, user.groupNames()))) {
                continue;
            }
            String codesUrl = "/hub/api/share-codes/" + serverPath(server);
            List<Holder> holders = shares.ofServer(server).list().stream().map(HomeShares::holder).toList();
            List<Link> links = codes.ofServer(server).list().stream().map(c -> link(c, codesUrl)).toList();
            out.add(new Shareable(server.name, label(server), "/hub/api/shares/" + serverPath(server), codesUrl,
                    holders, links));
        }
        return out;
    }

    private static Holder holder(ShareEntity share) {
        String kind = share.user != null ? "user" : "group";
        String name = share.user != null ? share.user.name : share.group.name;
        return new Holder(kind, name, share.scopeList(), JsonColumns.write(Map.of(kind, name)));
    }

    private static Link link(ShareCodeEntity code, String codesUrl) {
        return new Link(code.publicId(), ApiModels.iso(code.expiresAt), code.exchangeCount,
                codesUrl + "?id=" + code.publicId());
    }

    /**
     * {@code alice/} for a default server and {@code alice/gpu} for a named one, escaped: the
     * sharing API names the default server by the owner's path with its trailing slash.
     */
    private static String serverPath(ServerEntity server) {
        return Urls.escape(server.user.name) + "/" + Urls.escape(server.name);
    }

    private static String label(ServerEntity server) {
        return server.name.isEmpty() ? "default" : server.name;
    }
}
