package io.ganymede.hub.spawn;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.persistence.OAuthClientEntity;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.scopes.Roles;
import io.ganymede.hub.tokens.Secrets;
import io.ganymede.hub.tokens.TokenService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * A server's own API token (role {@code server}) and its OAuth client, whose secret is that token.
 * Both are made fresh for every start and die with the server.
 */
@ApplicationScoped
public class ServerCredentials {

    private final TokenService tokens;
    private final SingleUserEnvironment environment;

    ServerCredentials(TokenService tokens, SingleUserEnvironment environment) {
        this.tokens = tokens;
        this.environment = environment;
    }

    /**
     * Refuses a start whose credentials could not be stored: the OAuth client id holds the user
     * name escaped for URLs, which a long name with characters to escape makes longer than its
     * column. Everything else derived from the names (the redirect URI, the token's note) is
     * longer only by a few characters and has a far larger column.
     *
     * @throws ApiException 400
     */
    public static void checkStorable(String user, String serverName) {
        String clientId = Urls.clientId(user, serverName);
        if (clientId.length() > OAuthClientEntity.IDENTIFIER_LENGTH) {
            throw ApiException.badRequest("Cannot start a server for this user name: its OAuth client id would have "
                    + clientId.length() + " characters, at most " + OAuthClientEntity.IDENTIFIER_LENGTH);
        }
    }

    /** Issues the credentials for a start; returns the API token's secret. */
    @Transactional
    public String issue(ServerEntity server) {
        revoke(server);
        String user = server.user.name;
        String secret = tokens.issue(server.user, TokenEntity.Kind.server, Roles.scopes(Roles.SERVER),
                "Server at " + Urls.serverPrefix(user, server.name), null, server, null).secret();
        OAuthClientEntity client = new OAuthClientEntity();
        client.identifier = Urls.clientId(user, server.name);
        client.server = server;
        client.secretSalt = Secrets.newSalt();
        client.secretHash = Secrets.hash(client.secretSalt, secret);
        client.redirectUri = Urls.serverPrefix(user, server.name) + "oauth_callback";
        client.allowedScopeList(environment.clientAllowedScopes(user, server.name));
        client.persist();
        return secret;
    }

    /** Removes the server's token, its OAuth client and every token that client issued. */
    @Transactional
    public void revoke(ServerEntity server) {
        String clientId = Urls.clientId(server.user.name, server.name);
        TokenEntity.delete("server = ?1 or (user = ?2 and clientId = ?3)", server, server.user, clientId);
        OAuthClientEntity.delete("identifier", clientId);
    }
}
