package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code import-jupyterhub} reading JupyterHub's database from PostgreSQL, as z2jh deployments
 * with {@code hub.db.type=postgres} keep it: the real JupyterHub 5.5 (with psycopg2) makes its
 * schema and data in a real PostgreSQL 16 ({@code make_fixture.py} given the
 * {@code postgresql+psycopg2://} URL z2jh documents for {@code hub.db.url}),
 * and the hub jar imports them with the credentials in the URL, then by --from-user and
 * --from-password, into the H2 file a hub then runs on and accepts an imported token from. No
 * password appears in anything the command prints, in its dry run, its report or its errors.
 */
class JupyterHubOnPostgresImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A password with what a URL must %-encode (a space, @, /) and a +, which stays a + in one. */
    private static final String PASSWORD = "pa ss+w@rd/1";
    private static final String ENCODED = "pa%20ss+w%40rd%2F1";

    @Test
    void importsTheDatabaseJupyterHubKeepsOnPostgresql() throws Exception {
        Path dir = Files.createTempDirectory("ganymede-e2e-jhpg");
        JsonNode tokens;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
            int port = postgres.getPort();
            requirePasswords(postgres);
            String host = "127.0.0.1:" + port + "/jupyterhub";

            // ---- JupyterHub 5.5 makes its database on PostgreSQL ---------------------------------
            Process fixture = new ProcessBuilder(Peers.JupyterHub.V5_5.require().python().toString(),
                    HubProcess.ROOT.resolve("hub/src/test/resources/jupyterhub/make_fixture.py").toString(),
                    Peers.configurableHttpProxy().toString(), "postgresql+psycopg2://jupyterhub:" + ENCODED + "@" + host)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("make_fixture.log").toFile()).start();
            assertTrue(fixture.waitFor(5, TimeUnit.MINUTES), "make_fixture.py did not finish");
            List<String> fixtureOut = Files.readAllLines(dir.resolve("make_fixture.log"));
            assertEquals(0, fixture.exitValue(), String.join("\n", fixtureOut));
            tokens = JSON.readTree(fixtureOut.get(fixtureOut.size() - 1));
            try (Connection db = postgres.getDatabase("postgres", "jupyterhub").getConnection(); Statement st = db.createStatement()) {
                assertEquals(List.of("4621fec11365"), rows(st, "SELECT version_num FROM alembic_version"), "JupyterHub 5.5's schema");
                assertEquals(List.of("alice@example.com", "bob", "carol"), rows(st, "SELECT name FROM users ORDER BY name"));
            }

            // ---- the dry run, credentials in the URL ---------------------------------------------
            String target = "jdbc:h2:file:" + dir.resolve("ganymede") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
            List<String> toH2 = List.of("--to", target, "--settings-out", dir.resolve("roles.yaml").toString());
            Command dryRun = hubCommand(dir, "postgresql://jupyterhub:" + ENCODED + "@" + host, toH2, "--dry-run");
            assertEquals(0, dryRun.status(), dryRun.output());
            String out = dryRun.output();
            for (String line : List.of("Dry run: nothing is changed. Importing JupyterHub's database jdbc:postgresql://" + host
                            + " (schema revision 4621fec11365)",
                    "create    user alice@example.com\n", "create    user bob\n", "create    user carol: admin",
                    "create    group data-science: members alice@example.com, bob; properties {\"cost-center\":\"ds-42\"}",
                    "create    role data-readers: scopes read:users, list:users, read:servers!group=data-science;"
                            + " users none; groups data-science (written to the settings file)",
                    "create    role reporting: scopes read:metrics; users none; groups none; services pipeline-admin",
                    "create    service pipeline-admin: admin; roles admin, reporting; from JupyterHub's configuration",
                    "create    oauth client jupyterhub-user-alice%40example.com: for server alice@example.com/",
                    "of alice@example.com: api, scopes read:users, note 'pipeline', expires 2056-",
                    "of alice@example.com: expired",
                    "of alice@example.com: server, scopes access:servers!server=alice@example.com/ users:activity!user",
                    "13 to create, 0 unchanged, 0 conflicts")) {
                assertTrue(out.contains(line), "'" + line + "' missing in:\n" + out);
            }
            assertTrue(out.matches("(?s).*create    server alice@example.com/: running at http://127\\.0\\.0\\.1:\\d+.*"), out);
            assertFalse(Files.exists(dir.resolve("roles.yaml")), "a dry run writes nothing");
            assertNoPassword(out);

            // ---- the import, credentials by --from-user and --from-password ------------------------
            Command imported = hubCommand(dir, "postgresql://" + host, concat(toH2, "--from-user", "jupyterhub",
                    "--from-password", PASSWORD));
            assertEquals(0, imported.status(), imported.output());
            assertTrue(imported.output().contains("13 to create, 0 unchanged, 0 conflicts") && imported.output().endsWith("Done.\n"),
                    imported.output());
            assertNoPassword(imported.output());
            // Again with the password in the URL: the same data, nothing left to do.
            Command again = hubCommand(dir, "postgresql+psycopg2://jupyterhub:" + ENCODED + "@" + host, toH2);
            assertEquals(0, again.status(), again.output());
            assertTrue(again.output().contains("0 to create, 11 unchanged, 0 conflicts"), again.output());
            assertNoPassword(again.output());

            // ---- errors name the problem, never the password --------------------------------------
            Command wrong = hubCommand(dir, "postgresql://" + host, concat(toH2, "--from-user", "jupyterhub",
                    "--from-password", "Wrong-" + PASSWORD));
            assertEquals(1, wrong.status(), wrong.output());
            assertTrue(wrong.output().contains("password authentication failed for user \"jupyterhub\""), wrong.output());
            assertNoPassword(wrong.output());
            for (String unencoded : List.of("postgresql://jupyterhub:" + PASSWORD + "@" + host,
                    "postgresql://jupyterhub:se#cret-" + ENCODED + "@" + host)) {
                Command bad = hubCommand(dir, unencoded, toH2);
                assertEquals(2, bad.status(), bad.output());
                assertTrue(bad.output().contains("--from is not a valid postgresql://user:password@host:port/db URL"), bad.output());
                assertNoPassword(bad.output());
                assertFalse(bad.output().contains("se#cret"), bad.output());
            }
        }

        // ---- a hub on the imported database accepts alice's pipeline token ------------------------
        try (HubProcess hub = new HubProcess(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("ganymede") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                "QUARKUS_CONFIG_LOCATIONS", dir.resolve("roles.yaml").toString()))) {
            hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(90));
            HttpResponse<String> alice = hub.api(tokens.path("pipeline_token").asText(), "GET", "/user", null);
            assertEquals(200, alice.statusCode(), alice.body());
            assertEquals("alice@example.com", JSON.readTree(alice.body()).path("name").asText(), alice.body());
            HttpResponse<String> expired = hub.api(tokens.path("expired_token").asText(), "GET", "/user", null);
            assertEquals(403, expired.statusCode(), expired.body());
        }
    }

    /**
     * Makes JupyterHub's role {@code jupyterhub} (owner of database {@code jupyterhub}) log in by
     * password over TCP: embedded PostgreSQL trusts every local connection, where a wrong
     * password would pass.
     */
    private static void requirePasswords(EmbeddedPostgres postgres) throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement st = db.createStatement()) {
            st.execute("CREATE ROLE jupyterhub LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
            st.execute("CREATE DATABASE jupyterhub OWNER jupyterhub");
            String hba = rows(st, "SHOW hba_file").get(0);
            Files.writeString(Path.of(hba), """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    """);
            st.execute("SELECT pg_reload_conf()");
        }
    }

    private static void assertNoPassword(String output) {
        for (String secret : List.of(PASSWORD, ENCODED, URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8), "pa ss", "pa%20ss")) {
            assertFalse(output.contains(secret), "the password is printed:\n" + output);
        }
    }

    private record Command(int status, String output) {}

    /** The hub jar's {@code import-jupyterhub --from from args...}, its standard output and error together. */
    private static Command hubCommand(Path dir, String from, List<String> args, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", HubProcess.ROOT.resolve("hub/target/ganymede-hub-runner.jar").toString(),
                "import-jupyterhub", "--from", from));
        command.addAll(args);
        command.addAll(List.of(more));
        Path out = Files.createTempFile(dir, "command", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "import-jupyterhub did not finish");
        return new Command(p.exitValue(), Files.readString(out));
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> rows(Statement st, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
