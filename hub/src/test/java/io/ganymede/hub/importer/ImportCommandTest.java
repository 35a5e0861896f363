package io.ganymede.hub.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganymede.hub.tokens.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Imports a database the real JupyterHub 5.5 made ({@code resources/jupyterhub/make_fixture.py}:
 * alice@example.com with a running server and a pipeline token, bob with a stopped server, carol
 * an admin, the group data-science with a custom role, an admin service) into a fresh H2 database
 * with Ganymede's schema.
 */
class ImportCommandTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    /** The api_token make_fixture.py configures for the service pipeline-admin. */
    private static final String SERVICE_TOKEN = "svc-0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;
    private Path source;
    private String target;
    private Map<String, String> secrets;

    @BeforeEach
    void copyFixture() throws Exception {
        useFixture("5.5");
        target = "jdbc:h2:mem:import-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    /** The database the given JupyterHub release made, and the secrets of its tokens. */
    @SuppressWarnings("unchecked")
    private void useFixture(String release) throws Exception {
        source = dir.resolve("jupyterhub-" + release + ".sqlite");
        try (InputStream in = getClass().getResourceAsStream("/jupyterhub/jupyterhub-" + release + ".sqlite")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        try (InputStream in = getClass().getResourceAsStream("/jupyterhub/jupyterhub-" + release + ".tokens.json")) {
            secrets = new ObjectMapper().readValue(in, Map.class);
        }
    }

    private record Run(int status, String out, String err) {}

    private Run run(String... extra) {
        List<String> args = new ArrayList<>(List.of("--from", "sqlite:///" + source, "--to", target,
                "--settings-out", dir.resolve("roles.yaml").toString()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImportCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(target); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    cells.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(String.join("|", cells));
            }
        }
        return rows;
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() throws Exception {
        Run run = run("--dry-run");
        assertEquals(0, run.status(), run.err());
        String out = run.out();
        assertTrue(out.startsWith("Dry run: nothing is changed."), out);
        assertTrue(out.contains("schema revision 4621fec11365"), out);
        assertTrue(out.contains("create    user alice@example.com\n"), out);
        assertTrue(out.contains("create    user carol: admin"), out);
        assertTrue(out.contains("create    group data-science: members alice@example.com, bob; properties {\"cost-center\":\"ds-42\"}"), out);
        assertTrue(out.contains("create    role data-readers: scopes read:users, list:users, read:servers!group=data-science;"
                + " users none; groups data-science (written to the settings file)\n"), out);
        assertTrue(out.contains("create    role reporting: scopes read:metrics; users none; groups none; services pipeline-admin"
                + " (written to the settings file)"), out);
        assertTrue(out.contains("create    service pipeline-admin: admin; roles admin, reporting; from JupyterHub's configuration:"
                + " declare it as ganymede.services.pipeline-admin (translate-z2jh writes z2jh's hub.services there),"
                + " or the hub removes it with its tokens at its start"), out);
        assertTrue(out.matches("(?s).*create    server alice@example.com/: running at http://127\\.0\\.0\\.1:\\d+, adopted at the hub's start.*"), out);
        assertFalse(out.contains("server bob/"), "a stopped default server that remembers nothing is no server: " + out);
        assertTrue(out.contains("create    oauth client jupyterhub-user-alice%40example.com: for server alice@example.com/"), out);
        assertTrue(out.contains("create    token a2 of alice@example.com: api, scopes read:users, note 'pipeline', expires 2056-"), out);
        assertTrue(out.contains("skip      token a3 of alice@example.com: expired"), out);
        assertTrue(out.contains("create    token a4 of alice@example.com: server, scopes access:servers!server=alice@example.com/"
                + " users:activity!user, note 'Server at /user/alice@example.com/'"), out);
        assertTrue(out.contains("create    token a1 of service pipeline-admin: api, scopes inherit, note 'from config', expires never"), out);
        assertTrue(out.contains("create    settings file " + dir.resolve("roles.yaml")), out);
        assertTrue(out.contains("0 unchanged, 0 conflicts"), out);
        assertEquals(List.of("0"), rows("SELECT COUNT(*) FROM users"));
        assertFalse(Files.exists(dir.resolve("roles.yaml")));
    }

    @Test
    void importsWhatJupyterHubKeptAndItsTokensStillMatch() throws Exception {
        Run run = run();
        assertEquals(0, run.status(), run.err() + run.out());
        assertTrue(run.out().endsWith("Done.\n"), run.out());
        assertEquals(List.of("alice@example.com|false", "bob|false", "carol|true"),
                rows("SELECT name, admin FROM users ORDER BY name"));
        assertEquals(List.of("data-science|{\"cost-center\":\"ds-42\"}|alice@example.com", "data-science|{\"cost-center\":\"ds-42\"}|bob"),
                rows("SELECT g.name, g.properties, u.name FROM user_groups g JOIN group_members m ON m.group_id = g.id"
                        + " JOIN users u ON u.id = m.user_id ORDER BY u.name"));
        List<String> servers = rows("SELECT u.name, s.name, s.url IS NOT NULL, s.spawner_state FROM servers s"
                + " JOIN users u ON u.id = s.user_id ORDER BY u.name");
        assertEquals(List.of("alice@example.com||true|{\"app\":\"jupyterlab\"}"), servers);

        // The pipeline's token and the server's token match as JupyterHub stored them.
        assertEquals(1, matching("api", secrets.get("pipeline_token")));
        assertEquals(1, matching("server", secrets.get("server_token")));
        assertEquals(0, matching("api", secrets.get("expired_token")));
        // The service, with its token as JupyterHub hashed it; its custom role is in the settings file.
        assertEquals(List.of("pipeline-admin|true|true|null|[]"), rows("SELECT name, from_config, admin, url, roles FROM services"));
        assertEquals(1, matching("api", SERVICE_TOKEN));
        assertEquals(List.of("pipeline-admin|null"), rows("SELECT v.name, t.user_id FROM api_tokens t JOIN services v ON v.id = t.service_id"));
        List<String> client = rows("SELECT secret_salt, secret_hash, redirect_uri FROM oauth_clients");
        assertEquals(1, client.size());
        String[] c = client.get(0).split("\\|");
        assertTrue(Secrets.matches(c[0], c[1], secrets.get("server_token")), "the OAuth client's secret is the server's token");
        assertEquals("/user/alice@example.com/oauth_callback", c[2]);

        String roles = Files.readString(dir.resolve("roles.yaml"));
        assertTrue(roles.contains("- name: reporting\n      scopes:\n      - read:metrics\n      users: []\n      groups: []\n"
                + "      services:\n      - pipeline-admin\n"), roles);
        assertTrue(roles.contains("- name: data-readers\n      scopes:\n      - read:users\n      - list:users\n"
                + "      - read:servers!group=data-science\n      users: []\n      groups:\n      - data-science\n"), roles);

        // Again: nothing to do, nothing written twice.
        Run again = run();
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("0 to create, 11 unchanged, 0 conflicts"), again.out());
        assertEquals(List.of("3"), rows("SELECT COUNT(*) FROM users"));
        assertEquals(List.of("3"), rows("SELECT COUNT(*) FROM api_tokens"));
        assertEquals(List.of("1"), rows("SELECT COUNT(*) FROM services"));
    }

    /**
     * Databases of Debian's JupyterHub 3.0 (the oldest schema: no group properties, server tokens
     * scoped access:servers!user), 5.5 (z2jh 4.4's) and 6.1 (spawners' display_name).
     */
    @ParameterizedTest
    @ValueSource(strings = {"3.0", "5.5", "6.1"})
    void eachReleasesDatabaseImportsAndItsTokensStillMatch(String release) throws Exception {
        useFixture(release);
        Run run = run();
        assertEquals(0, run.status(), run.err() + run.out());
        assertTrue(run.out().contains("create    group data-science: members alice@example.com, bob"
                + (release.equals("3.0") ? "\n" : "; properties {\"cost-center\":\"ds-42\"}\n")), run.out());
        assertEquals(List.of("alice@example.com|false", "bob|false", "carol|true"),
                rows("SELECT name, admin FROM users ORDER BY name"));
        assertEquals(List.of("alice@example.com||true"), rows("SELECT u.name, s.name, s.url IS NOT NULL FROM servers s"
                + " JOIN users u ON u.id = s.user_id"));
        assertEquals(1, matching("api", secrets.get("pipeline_token")));
        assertEquals(1, matching("server", secrets.get("server_token")));
        assertEquals(0, matching("api", secrets.get("expired_token")));
        assertEquals(List.of("pipeline-admin|true|true"), rows("SELECT name, from_config, admin FROM services"));
        assertEquals(1, matching("api", SERVICE_TOKEN));
        String[] c = rows("SELECT secret_salt, secret_hash FROM oauth_clients").get(0).split("\\|");
        assertTrue(Secrets.matches(c[0], c[1], secrets.get("server_token")), "the OAuth client's secret is the server's token");
    }

    @Test
    void conflictsAreReportedNotOverwritten() throws Exception {
        assertEquals(0, run().status());
        try (Connection db = DriverManager.getConnection(target); Statement st = db.createStatement()) {
            st.executeUpdate("UPDATE users SET admin = TRUE WHERE name = 'bob'");
            st.executeUpdate("DELETE FROM group_members WHERE user_id = (SELECT id FROM users WHERE name = 'bob')");
        }
        Files.writeString(dir.resolve("roles.yaml"), "# edited by an admin\n");
        Run run = run();
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("conflict  user bob: admin is true in Ganymede, false in JupyterHub; Ganymede's kept"), run.out());
        assertTrue(run.out().contains("conflict  group data-science: Ganymede's group differs (members alice@example.com"), run.out());
        assertTrue(run.out().contains("conflict  settings file"), run.out());
        assertEquals(List.of("bob|true"), rows("SELECT name, admin FROM users WHERE name = 'bob'"));
        assertEquals("# edited by an admin\n", Files.readString(dir.resolve("roles.yaml")));
    }

    @Test
    void badArgumentsAndAMissingDatabaseAreClearErrors() {
        Run none = run("--bogus");
        assertEquals(2, none.status());
        assertTrue(none.err().contains("unknown or incomplete argument: --bogus"), none.err());
        source = dir.resolve("missing.sqlite");
        Run missing = run();
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("import-jupyterhub failed: "), missing.err());
    }

    @Test
    void anUnreadableUrlIsRefusedWithoutItsPassword() {
        for (String url : List.of("postgresql://hub:se cret@127.0.0.1/jupyterhub", "postgresql://hub:se#cret@127.0.0.1/jupyterhub",
                "postgresql://hub:se%zzcret@127.0.0.1/jupyterhub")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = ImportCommand.run(List.of("--from", url, "--to", target), Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            assertEquals(2, status, printed);
            assertTrue(printed.startsWith("import-jupyterhub failed: --from is not a valid postgresql://"), printed);
            assertFalse(printed.contains("cret"), printed);
        }
    }

    @Test
    void jupyterHubDatabaseUrlsBecomeJdbc() {
        assertEquals(new ImportCommand.Database("jdbc:postgresql://db.example.com:5432/jupyterhub?sslmode=require", "hub", "p@ss"),
                ImportCommand.source("postgresql://hub:p%40ss@db.example.com:5432/jupyterhub?sslmode=require", null, null));
        // SQLAlchemy's reading: %-escapes decoded, a + kept (not a form's space).
        assertEquals(new ImportCommand.Database("jdbc:postgresql://127.0.0.1:5432/jupyterhub", "hub", "a+b c/d"),
                ImportCommand.source("postgresql+psycopg2://hub:a+b%20c%2Fd@127.0.0.1:5432/jupyterhub", null, null));
        assertEquals(new ImportCommand.Database("jdbc:postgresql://127.0.0.1/jupyterhub", "hub", "from-option"),
                ImportCommand.source("postgresql://127.0.0.1/jupyterhub", "hub", "from-option"));
        assertEquals(new ImportCommand.Database("jdbc:sqlite:/srv/jupyterhub/jupyterhub.sqlite", null, null),
                ImportCommand.source("sqlite:////srv/jupyterhub/jupyterhub.sqlite", null, null));
        assertEquals(new ImportCommand.Database("jdbc:sqlite:jupyterhub.sqlite", null, null),
                ImportCommand.source("jupyterhub.sqlite", null, null));
    }

    /** How many tokens of this kind the secret matches, found by JupyterHub's 4-character prefix. */
    private int matching(String kind, String secret) throws SQLException {
        int n = 0;
        for (String row : rows("SELECT salt, hash FROM api_tokens WHERE kind = '" + kind + "' AND prefix = '"
                + secret.substring(0, 4) + "'")) {
            String[] parts = row.split("\\|");
            if (Secrets.matches(parts[0], parts[1], secret)) {
                n++;
            }
        }
        return n;
    }
}
