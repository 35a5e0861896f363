package io.ganymede.hub.culler;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.spawn.Urls;
import io.ganymede.hub.tokens.TokenService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Reads a Jupyter server's own {@code GET {prefix}api/status}: its {@code last_activity} follows
 * kernels, terminals and API requests, not the WebSocket pings of an idle tab. The call carries a
 * token with the server role's {@code access:servers!server} scope, tied to the server like its
 * own API token, so it is revoked when the server stops (secrets are only kept here, in memory).
 */
@ApplicationScoped
public class JupyterStatus {

    private static final Logger LOG = Logger.getLogger(JupyterStatus.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final WebClient client;
    private final TokenService tokens;
    /** Server id and start time to token secret: a new run gets a new token. */
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    JupyterStatus(Vertx vertx, TokenService tokens) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true)
                .setConnectTimeout((int) TIMEOUT.toMillis()));
        this.tokens = tokens;
    }

    /** The server's reported {@code last_activity}, or empty if it does not answer with one. */
    public Uni<Optional<Instant>> lastActivity(long serverId, Instant started, String user, String serverName, String target) {
        String secret;
        try {
            secret = secret(serverId, started);
        } catch (RuntimeException e) {
            return Uni.createFrom().item(Optional.empty());
        }
        String url = target.replaceAll("/+$", "") + Urls.serverPrefix(user, serverName) + "api/status";
        return client.getAbs(url).putHeader("Authorization", "token " + secret).timeout(TIMEOUT.toMillis()).send()
                .map(response -> {
                    if (response.statusCode() != 200) {
                        return Optional.<Instant>empty();
                    }
                    JsonObject body = response.bodyAsJsonObject();
                    Object last = body == null ? null : body.getValue("last_activity");
                    return last instanceof String text ? Optional.of(OffsetDateTime.parse(text).toInstant()) : Optional.<Instant>empty();
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("no /api/status from %s: %s", url, e.getMessage());
                    return Optional.empty();
                });
    }

    /** Issues the missing tokens of these runs (server id to start) in one transaction. */
    void prepare(Map<Long, Instant> runs) {
        Map<Long, Instant> missing = new HashMap<>();
        runs.forEach((id, started) -> {
            if (!secrets.containsKey(id + "@" + started)) {
                missing.put(id, started);
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (ServerEntity server : ServerEntity.<ServerEntity>list("id in ?1", missing.keySet())) {
                secrets.put(server.id + "@" + missing.get(server.id), issue(server));
            }
        });
    }

    private String issue(ServerEntity server) {
        return tokens.issue(server.user, TokenEntity.Kind.server, List.of("access:servers!server"),
                "Culler reading " + Urls.serverPrefix(server.user.name, server.name) + "api/status", null, server, null).secret();
    }

    private String secret(long serverId, Instant started) {
        return secrets.computeIfAbsent(serverId + "@" + started, k -> QuarkusTransaction.requiringNew().call(() -> {
            ServerEntity server = ServerEntity.findById(serverId);
            if (server == null) {
                throw new IllegalStateException("server " + serverId + " is gone");
            }
            return issue(server);
        }));
    }

    /** Forgets tokens of runs that ended (the tokens themselves went with the server). */
    void retain(Set<String> running) {
        secrets.keySet().retainAll(running);
    }
}
