package io.ganymede.hub.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.tokens.Secrets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import into Ganymede's database on PostgreSQL (production's, Cloud SQL), a real
 * PostgreSQL 16 started here: the schema migrated by the command, the rows written, the tokens
 * matching, and a second run changing nothing.
 */
class ImportIntoPostgresTest {

    @TempDir
    Path dir;

    @Test
    void importsIntoPostgresql() throws Exception {
        Path source = dir.resolve("jupyterhub.sqlite");
        try (InputStream in = getClass().getResourceAsStream("/jupyterhub/jupyterhub-5.5.sqlite")) {
            Files.copy(in, source);
        }
        String pipeline;
        try (InputStream in = getClass().getResourceAsStream("/jupyterhub/jupyterhub-5.5.tokens.json")) {
            pipeline = (String) new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, Map.class).get("pipeline_token");
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
            List<String> args = List.of("--from", source.toString(), "--to", url, "--to-user", "postgres",
                    "--to-password", "postgres", "--settings-out", dir.resolve("roles.yaml").toString());
            String first = run(args);
            assertTrue(first.contains("11 to create, 0 unchanged, 0 conflicts") && first.endsWith("Done.\n"), first);
            try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement st = db.createStatement()) {
                assertEquals(List.of("alice@example.com|f", "bob|f", "carol|t"), rows(st, "SELECT name, admin FROM users ORDER BY name"));
                assertEquals(List.of("alice@example.com||t"), rows(st, "SELECT u.name, s.name, s.url IS NOT NULL FROM servers s"
                        + " JOIN users u ON u.id = s.user_id"));
                int matches = 0;
                for (String row : rows(st, "SELECT salt, hash FROM api_tokens WHERE prefix = '" + pipeline.substring(0, 4) + "'")) {
                    String[] parts = row.split("\\|");
                    matches += Secrets.matches(parts[0], parts[1], pipeline) ? 1 : 0;
                }
                assertEquals(1, matches);
                assertEquals(List.of("1"), rows(st, "SELECT COUNT(*) FROM api_tokens WHERE expires_at IS NOT NULL"));
            }
            String again = run(args);
            assertTrue(again.contains("0 to create, 9 unchanged, 0 conflicts"), again);
        }
    }

    private static String run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImportCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> rows(Statement st, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    cells.add(rs.getString(i));
                }
                rows.add(String.join("|", cells));
            }
        }
        return rows;
    }
}
