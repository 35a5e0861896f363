package io.ganymede.hub.importer;

import io.ganymede.hub.importer.ImportPlan.Existing;
import io.ganymede.hub.importer.ImportPlan.TokenImport;
import io.ganymede.hub.importer.JupyterHubData.Group;
import io.ganymede.hub.importer.JupyterHubData.OAuthClient;
import io.ganymede.hub.importer.JupyterHubData.Server;
import io.ganymede.hub.importer.JupyterHubData.User;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.spawn.Urls;
import io.ganymede.hub.tokens.JupyterHubHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ganymede's database seen by the importer: what it already holds ({@link #existing()}) and the
 * plan's creations, written in one transaction. The schema is the hub's own (Flyway, migrated
 * before); the rows are those the hub's entities map.
 */
public final class GanymedeDatabase {

    private final Connection db;

    public GanymedeDatabase(Connection db) {
        this.db = db;
    }

    public Existing existing() throws SQLException {
        Map<String, Boolean> admins = new HashMap<>();
        query("SELECT name, admin FROM users", rs -> admins.put(rs.getString(1), rs.getBoolean(2)));
        Map<String, List<String>> members = new HashMap<>();
        query("SELECT g.name, u.name FROM group_members m JOIN user_groups g ON g.id = m.group_id"
                + " JOIN users u ON u.id = m.user_id ORDER BY u.name",
                rs -> members.computeIfAbsent(rs.getString(1), g -> new ArrayList<>()).add(rs.getString(2)));
        Map<String, Group> groups = new HashMap<>();
        query("SELECT name, properties FROM user_groups", rs -> groups.put(rs.getString(1),
                new Group(rs.getString(1), rs.getString(2), members.getOrDefault(rs.getString(1), List.of()))));
        Map<String, String> states = new HashMap<>();
        Set<String> running = new HashSet<>();
        query("SELECT u.name, s.name, s.spawner_state, s.url FROM servers s JOIN users u ON u.id = s.user_id", rs -> {
            String key = Existing.serverKey(rs.getString(1), rs.getString(2));
            states.put(key, JsonColumns.write(JsonColumns.object(rs.getString(3))));
            if (rs.getString(4) != null) {
                running.add(key);
            }
        });
        Map<String, String> tokenOwners = new HashMap<>();
        query("SELECT t.salt, t.hash, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id", rs -> {
            if (JupyterHubHash.isScheme(rs.getString(1))) {
                tokenOwners.put(rs.getString(1) + ":" + rs.getString(2), rs.getString(3));
            }
        });
        Set<String> clients = new HashSet<>();
        query("SELECT identifier FROM oauth_clients", rs -> clients.add(rs.getString(1)));
        return new Existing(admins, groups, states, running, tokenOwners, clients);
    }

    /** Writes every creation of the plan, all or nothing. */
    public void apply(ImportPlan plan) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try {
            for (User user : plan.users()) {
                insert("INSERT INTO users (name, admin, created, last_activity) VALUES (?, ?, ?, ?)",
                        user.name(), user.admin(), time(user.created() == null ? Instant.now() : user.created()),
                        time(user.lastActivity()));
            }
            for (Group group : plan.groups()) {
                long id = insert("INSERT INTO user_groups (name, properties) VALUES (?, ?)", group.name(),
                        JsonColumns.write(JsonColumns.object(group.properties())));
                for (String member : group.members()) {
                    insert("INSERT INTO group_members (group_id, user_id) VALUES (?, ?)", id, userId(member));
                }
            }
            for (Server server : plan.servers()) {
                String url = server.url();
                insert("INSERT INTO servers (user_id, name, display_name, url, started, last_activity, user_options,"
                        + " spawner_state, route_data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        userId(server.user()), server.name(), server.displayName(), url,
                        url == null ? null : time(server.started()), time(server.lastActivity()), server.userOptions(),
                        JsonColumns.write(server.state()), url == null ? "{}" : JsonColumns.write(Map.of()));
            }
            for (OAuthClient client : plan.clients()) {
                JupyterHubHash.Parts secret = JupyterHubHash.parse(client.secretHash()).orElseThrow();
                Server server = plan.servers().stream().filter(s -> client.identifier().equals(s.oauthClient()))
                        .findFirst().orElseThrow();
                insert("INSERT INTO oauth_clients (identifier, server_id, secret_salt, secret_hash, redirect_uri,"
                        + " allowed_scopes) VALUES (?, ?, ?, ?, ?, ?)",
                        client.identifier(), serverId(server.user(), server.name()), secret.salt(), secret.digest(),
                        client.redirectUri() == null ? Urls.serverPrefix(server.user(), server.name()) + "oauth_callback"
                                : client.redirectUri(),
                        JsonColumns.writeList(client.allowedScopes()));
            }
            for (TokenImport t : plan.tokens()) {
                insert("INSERT INTO api_tokens (user_id, server_id, kind, prefix, salt, hash, client_id, note, scopes,"
                        + " created, expires_at, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        userId(t.token().user()), t.serverName() == null ? null : serverId(t.token().user(), t.serverName()),
                        t.kind(), t.token().prefix(), t.hash().salt(), t.hash().digest(),
                        t.token().clientId() == null ? "jupyterhub" : t.token().clientId(), t.token().note(),
                        JsonColumns.writeList(t.token().scopes()),
                        time(t.token().created() == null ? Instant.now() : t.token().created()),
                        time(t.token().expiresAt()), time(t.token().lastActivity()));
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    private long userId(String name) throws SQLException {
        return single("SELECT id FROM users WHERE name = ?", name);
    }

    private long serverId(String user, String name) throws SQLException {
        return single("SELECT s.id FROM servers s JOIN users u ON u.id = s.user_id WHERE u.name = ? AND s.name = ?", user, name);
    }

    private long single(String sql, Object... args) throws SQLException {
        try (PreparedStatement st = prepare(sql, false, args); ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("not found: " + sql + " " + List.of(args));
            }
            return rs.getLong(1);
        }
    }

    private long insert(String sql, Object... args) throws SQLException {
        try (PreparedStatement st = prepare(sql, true, args)) {
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1;
            }
        }
    }

    private PreparedStatement prepare(String sql, boolean keys, Object... args) throws SQLException {
        PreparedStatement st = keys ? db.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS) : db.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                st.setNull(i + 1, Types.NULL);
            } else {
                st.setObject(i + 1, args[i]);
            }
        }
        return st;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private void query(String sql, Sql.Row row) throws SQLException {
        Sql.query(db, sql, row);
    }
}
