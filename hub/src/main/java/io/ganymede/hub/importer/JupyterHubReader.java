package io.ganymede.hub.importer;

import io.ganymede.hub.importer.JupyterHubData.Group;
import io.ganymede.hub.importer.JupyterHubData.OAuthClient;
import io.ganymede.hub.importer.JupyterHubData.Role;
import io.ganymede.hub.importer.JupyterHubData.Server;
import io.ganymede.hub.importer.JupyterHubData.Token;
import io.ganymede.hub.importer.JupyterHubData.User;
import io.ganymede.hub.persistence.JsonColumns;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JupyterHub database (the tables of {@code jupyterhub/orm.py}) through JDBC. Columns that
 * came later ({@code groups.properties} in 4.0, {@code spawners.display_name} in 6.0) are read
 * where the schema has them. JupyterHub writes naive UTC date-times and JSON as text.
 */
public final class JupyterHubReader {

    private final Connection db;

    public JupyterHubReader(Connection db) {
        this.db = db;
    }

    public JupyterHubData read() throws SQLException {
        Map<Long, String> userNames = new LinkedHashMap<>();
        List<User> users = new ArrayList<>();
        query("SELECT id, name, admin, created, last_activity FROM users ORDER BY id", rs -> {
            userNames.put(rs.getLong(1), rs.getString(2));
            users.add(new User(rs.getString(2), rs.getBoolean(3), instant(rs.getString(4)), instant(rs.getString(5))));
        });
        Map<Long, String> serviceNames = new LinkedHashMap<>();
        if (hasTable("services")) {
            query("SELECT id, name FROM services", rs -> serviceNames.put(rs.getLong(1), rs.getString(2)));
        }
        Map<Long, String> groupNames = new LinkedHashMap<>();
        Map<Long, String> groupProperties = new LinkedHashMap<>();
        boolean properties = hasColumn("groups", "properties");
        query("SELECT id, name" + (properties ? ", properties" : "") + " FROM groups ORDER BY id", rs -> {
            groupNames.put(rs.getLong(1), rs.getString(2));
            groupProperties.put(rs.getLong(1), properties && rs.getString(3) != null ? rs.getString(3) : "{}");
        });
        Map<Long, List<String>> members = new LinkedHashMap<>();
        query("SELECT group_id, user_id FROM user_group_map ORDER BY group_id, user_id", rs ->
                members.computeIfAbsent(rs.getLong(1), g -> new ArrayList<>()).add(userNames.get(rs.getLong(2))));
        List<Group> groups = new ArrayList<>();
        groupNames.forEach((id, name) -> groups.add(new Group(name, groupProperties.get(id),
                members.getOrDefault(id, List.of()).stream().sorted().toList())));

        List<Role> roles = new ArrayList<>();
        Map<Long, String> roleNames = new LinkedHashMap<>();
        Map<Long, List<String>> roleScopes = new LinkedHashMap<>();
        query("SELECT id, name, scopes FROM roles ORDER BY id", rs -> {
            roleNames.put(rs.getLong(1), rs.getString(2));
            roleScopes.put(rs.getLong(1), list(rs.getString(3)));
        });
        Map<Long, List<String>> roleUsers = holders("user_role_map", "user_id", userNames);
        Map<Long, List<String>> roleGroups = holders("group_role_map", "group_id", groupNames);
        Map<Long, List<String>> roleServices = hasTable("service_role_map")
                ? holders("service_role_map", "service_id", serviceNames) : Map.of();
        roleNames.forEach((id, name) -> roles.add(new Role(name, roleScopes.get(id),
                roleUsers.getOrDefault(id, List.of()), roleGroups.getOrDefault(id, List.of()),
                roleServices.getOrDefault(id, List.of()))));

        List<Server> servers = new ArrayList<>();
        boolean displayName = hasColumn("spawners", "display_name");
        query("SELECT s.user_id, s.name, s.started, s.last_activity, s.user_options, s.state, s.oauth_client_id,"
                + " v.proto, v.ip, v.port" + (displayName ? ", s.display_name" : "")
                + " FROM spawners s LEFT JOIN servers v ON v.id = s.server_id"
                + " WHERE s.user_id IS NOT NULL ORDER BY s.user_id, s.name", rs -> {
                    String ip = rs.getString(9);
                    String url = ip == null ? null
                            : (rs.getString(8) == null ? "http" : rs.getString(8)) + "://" + ip + ":" + rs.getInt(10);
                    servers.add(new Server(userNames.get(rs.getLong(1)), rs.getString(2) == null ? "" : rs.getString(2),
                            displayName ? rs.getString(11) : null, instant(rs.getString(3)), instant(rs.getString(4)),
                            rs.getString(5) == null ? "{}" : rs.getString(5), JsonColumns.object(rs.getString(6) == null ? "{}" : rs.getString(6)),
                            url, rs.getString(7)));
                });

        List<OAuthClient> clients = new ArrayList<>();
        query("SELECT identifier, secret, redirect_uri, allowed_scopes FROM oauth_clients ORDER BY id", rs ->
                clients.add(new OAuthClient(rs.getString(1), rs.getString(2), rs.getString(3), list(rs.getString(4)))));

        List<Token> tokens = new ArrayList<>();
        query("SELECT id, user_id, service_id, prefix, hashed, client_id, note, scopes, created, expires_at, last_activity"
                + " FROM api_tokens ORDER BY id", rs -> {
                    long user = rs.getLong(2);
                    String userName = rs.wasNull() ? null : userNames.get(user);
                    long service = rs.getLong(3);
                    String serviceName = rs.wasNull() ? null : serviceNames.get(service);
                    tokens.add(new Token(rs.getLong(1), userName, serviceName, rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), list(rs.getString(8)), instant(rs.getString(9)),
                            instant(rs.getString(10)), instant(rs.getString(11))));
                });
        return new JupyterHubData(schemaVersion(), users, groups, roles, servers, clients, tokens);
    }

    private Map<Long, List<String>> holders(String table, String column, Map<Long, String> names) throws SQLException {
        Map<Long, List<String>> byRole = new LinkedHashMap<>();
        query("SELECT role_id, " + column + " FROM " + table + " ORDER BY role_id, " + column, rs -> {
            String name = names.get(rs.getLong(2));
            if (name != null) {
                byRole.computeIfAbsent(rs.getLong(1), r -> new ArrayList<>()).add(name);
            }
        });
        return byRole;
    }

    /** Alembic's revision: which JupyterHub schema this is. */
    private String schemaVersion() throws SQLException {
        if (!hasTable("alembic_version")) {
            return "unknown";
        }
        List<String> versions = new ArrayList<>();
        query("SELECT version_num FROM alembic_version", rs -> versions.add(rs.getString(1)));
        return versions.isEmpty() ? "unknown" : String.join(",", versions);
    }

    private boolean hasTable(String table) throws SQLException {
        return !columns(table).isEmpty();
    }

    private boolean hasColumn(String table, String column) throws SQLException {
        return columns(table).contains(column);
    }

    private Set<String> columns(String table) throws SQLException {
        Set<String> columns = new HashSet<>();
        DatabaseMetaData meta = db.getMetaData();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getColumns(null, null, name, null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }

    private void query(String sql, Sql.Row row) throws SQLException {
        Sql.query(db, sql, row);
    }

    private static List<String> list(String json) {
        return json == null || json.isBlank() ? List.of() : JsonColumns.list(json);
    }

    /** JupyterHub's naive UTC date-times, as SQLite ("2026-12-07 02:40:57.123456") or PostgreSQL gives them as text. */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String iso = text.trim().replace(' ', 'T');
        if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d(:?\\d\\d)?$")) {
            return java.time.OffsetDateTime.parse(iso.replaceAll("([+-]\\d\\d)$", "$1:00")).toInstant();
        }
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    }
}
