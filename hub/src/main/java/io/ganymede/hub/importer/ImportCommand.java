package io.ganymede.hub.importer;

import io.ganymede.hub.commands.CommandArgs;
import io.ganymede.hub.importer.ImportPlan.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import org.flywaydb.core.Flyway;

/**
 * {@code import-jupyterhub --from <db> [--to <jdbc-url>] [--settings-out <file>] [--dry-run]}:
 * imports a JupyterHub database into Ganymede's. Run it with the hub stopped (an H2 file has one
 * writer). See k8s/README.md, "Moving from z2jh".
 */
public final class ImportCommand {

    static final String USAGE = """
            usage: import-jupyterhub --from <db> [--to <jdbc-url>] [--settings-out <file>] [--dry-run]
              --from          JupyterHub's database: its db_url (sqlite:///path, postgresql://user:pass@host/db),
                              a JDBC URL, or the path of a jupyterhub.sqlite file
              --from-user, --from-password   credentials for --from when the URL has none
              --to            Ganymede's database (default: $QUARKUS_DATASOURCE_JDBC_URL, else the hub's H2 file
                              under ./data); migrated first; $QUARKUS_DATASOURCE_USERNAME/PASSWORD or
                              --to-user, --to-password
              --settings-out  where custom roles are written as hub settings (default imported-roles.yaml);
                              give it to the hub with QUARKUS_CONFIG_LOCATIONS
              --dry-run       print the plan, change nothing
            """;
    static final String DEFAULT_TARGET = "jdbc:h2:file:./data/ganymede;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";

    /** A database to connect to. */
    record Database(String url, String user, String password) {
        /**
         * Asks the drivers on this class's class path directly: DriverManager offers only those it
         * registered when first used, from the class loader of that time, and missed SQLite's when
         * an earlier Quarkus application in the same JVM had used it first.
         */
        Connection connect() throws SQLException {
            Properties credentials = new Properties();
            if (user != null) {
                credentials.setProperty("user", user);
            }
            if (password != null) {
                credentials.setProperty("password", password);
            }
            for (Driver driver : ServiceLoader.load(Driver.class, ImportCommand.class.getClassLoader())) {
                if (driver.acceptsURL(url)) {
                    return driver.connect(url, credentials);
                }
            }
            throw new SQLException("no JDBC driver for " + url);
        }
    }

    private ImportCommand() {}

    /** Runs the command; returns the process exit status (0 done, 1 failed, 2 bad arguments). */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandArgs parsed;
        try {
            parsed = CommandArgs.parse(args, Set.of("--from", "--from-user", "--from-password", "--to", "--to-user",
                    "--to-password", "--settings-out"), Set.of("--dry-run"), Set.of("--from"));
        } catch (CommandArgs.Refused e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        Map<String, String> options = parsed.options();
        boolean dryRun = parsed.flag("--dry-run");
        Database from;
        try {
            from = source(options.get("--from"), options.get("--from-user"), options.get("--from-password"));
        } catch (IllegalArgumentException e) {
            // Not e.getMessage(): java.net.URI's quotes the whole URL, password included.
            err.println("import-jupyterhub failed: --from is not a valid postgresql://user:password@host:port/db URL"
                    + " (characters such as @ : / # % or spaces in the user or password must be %-encoded,"
                    + " or given by --from-user and --from-password)");
            return 2;
        }
        Database to = new Database(options.getOrDefault("--to", env.getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", DEFAULT_TARGET)),
                options.getOrDefault("--to-user", env.get("QUARKUS_DATASOURCE_USERNAME")),
                options.getOrDefault("--to-password", env.get("QUARKUS_DATASOURCE_PASSWORD")));
        Path settings = Path.of(options.getOrDefault("--settings-out", "imported-roles.yaml"));
        try {
            JupyterHubData data;
            if (from.url().startsWith("jdbc:sqlite:") && !Files.isRegularFile(Path.of(from.url().substring("jdbc:sqlite:".length())))) {
                // SQLite would create an empty database there.
                err.println("import-jupyterhub failed: no JupyterHub database at " + from.url().substring("jdbc:sqlite:".length()));
                return 1;
            }
            try (Connection source = from.connect()) {
                data = new JupyterHubReader(source).read();
            }
            Flyway.configure().dataSource(to.url(), to.user(), to.password()).locations("classpath:db/migration")
                    .load().migrate();
            Optional<String> settingsNow = Files.exists(settings)
                    ? Optional.of(Files.readString(settings, StandardCharsets.UTF_8)) : Optional.empty();
            try (Connection target = to.connect()) {
                GanymedeDatabase ganymede = new GanymedeDatabase(target);
                ImportPlan plan = ImportPlan.of(data, ganymede.existing(), settings.toString(), settingsNow, Instant.now());
                out.println((dryRun ? "Dry run: nothing is changed. " : "") + "Importing JupyterHub's database "
                        + redacted(from.url()) + " (schema revision " + data.schemaVersion() + ") into " + redacted(to.url()));
                plan.steps().forEach(s -> out.println(s.line()));
                out.printf("%d to create, %d unchanged, %d conflicts (kept as they are in Ganymede), %d not imported%n",
                        plan.count(Outcome.CREATE), plan.count(Outcome.UNCHANGED), plan.count(Outcome.CONFLICT),
                        plan.count(Outcome.SKIP));
                if (!dryRun) {
                    ganymede.apply(plan);
                    if (plan.settingsToWrite().isPresent()) {
                        Files.writeString(settings, plan.settingsToWrite().get(), StandardCharsets.UTF_8);
                    }
                    out.println("Done.");
                }
            }
            return 0;
        } catch (SQLException | IOException | RuntimeException e) {
            err.println("import-jupyterhub failed: " + e.getMessage());
            return 1;
        }
    }

    /** JupyterHub's db_url, a JDBC URL or a SQLite file, as JDBC. */
    static Database source(String from, String user, String password) {
        if (from.startsWith("jdbc:")) {
            return new Database(from, user, password);
        }
        if (from.startsWith("sqlite:///")) {
            return new Database("jdbc:sqlite:" + from.substring("sqlite:///".length()), null, null);
        }
        if (from.startsWith("postgresql://") || from.startsWith("postgres://") || from.startsWith("postgresql+psycopg2://")) {
            URI uri = URI.create(from.replaceFirst("^[a-z0-9+]+://", "postgresql://"));
            if (uri.getHost() == null) {
                // A reserved character in the password makes URI read no server at all.
                throw new IllegalArgumentException("no host");
            }
            String u = user;
            String p = password;
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                u = unquoted(parts[0]);
                p = parts.length > 1 ? unquoted(parts[1]) : password;
            }
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new Database("jdbc:postgresql://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + uri.getRawPath() + query, u, p);
        }
        return new Database("jdbc:sqlite:" + from, null, null);
    }

    /** A %-encoded part of a URL as SQLAlchemy reads it: a + stays a + (URLDecoder, for forms, makes it a space). */
    private static String unquoted(String part) {
        return java.net.URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A URL fit for the output: no password. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
