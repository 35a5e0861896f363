package io.ganymede.hub.importer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a JupyterHub database holds that Ganymede imports, as read from its tables. */
public record JupyterHubData(String schemaVersion, List<User> users, List<Group> groups, List<Role> roles,
        List<Server> servers, List<OAuthClient> clients, List<Token> tokens) {

    public record User(String name, boolean admin, Instant created, Instant lastActivity) {}

    /** @param properties a JSON object (JupyterHub 4.0 and later; "{}" before) */
    public record Group(String name, String properties, List<String> members) {}

    /** A role with who holds it; {@code services} are reported, Ganymede has no services. */
    public record Role(String name, List<String> scopes, List<String> users, List<String> groups, List<String> services) {}

    /**
     * A spawner row: a user's default ({@code ""}) or named server.
     *
     * @param url where it listens while JupyterHub records it running, else null
     * @param state the spawner's state (KubeSpawner: pod_name, namespace, pvc_name, dns_name...)
     * @param oauthClient its OAuth client's identifier, or null
     */
    public record Server(String user, String name, String displayName, Instant started, Instant lastActivity,
            String userOptions, Map<String, Object> state, String url, String oauthClient) {

        public boolean running() {
            return url != null;
        }
    }

    /** @param secretHash JupyterHub's {@code algorithm:rounds:salt:hexdigest} of the client secret */
    public record OAuthClient(String identifier, String secretHash, String redirectUri, List<String> allowedScopes) {}

    /**
     * An API token (a user's, a service's, a server's or an OAuth access token).
     *
     * @param user the owning user's name, or null for a service's token
     * @param service the owning service's name, or null
     * @param hashed JupyterHub's {@code algorithm:rounds:salt:hexdigest}
     */
    public record Token(long id, String user, String service, String prefix, String hashed, String clientId,
            String note, List<String> scopes, Instant created, Instant expiresAt, Instant lastActivity) {

        /** JupyterHub's public id, as its API shows it. */
        public String publicId() {
            return "a" + id;
        }
    }
}
