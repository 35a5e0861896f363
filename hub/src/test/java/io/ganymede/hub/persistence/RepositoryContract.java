package io.ganymede.hub.persistence;

import static io.ganymede.hub.Api.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.ganymede.hub.activity.ActivityBuffer;
import io.ganymede.hub.api.Pages;
import io.ganymede.hub.spawn.ServerCredentials;
import io.ganymede.hub.tokens.TokenService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;

/**
 * The migrations, the entities and the queries the hub runs, checked on one database kind. Run as
 * {@code H2RepositoryTest} (the embedded default) and {@code PostgresRepositoryTest} (a real
 * PostgreSQL 16 server), so both stay in step. Names are unique per test: the app (and its
 * database) is shared by every test class of the same profile.
 */
abstract class RepositoryContract {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Flyway flyway;

    @Inject
    TokenService tokens;

    @Inject
    ServerCredentials credentials;

    @Inject
    ActivityBuffer activity;

    /** The JDBC product name the database must report, proving which kind the hub was built for. */
    abstract String expectedProduct();

    @Test
    void theDatabaseIsTheExpectedKind() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(expectedProduct(), connection.getMetaData().getDatabaseProductName());
        }
    }

    @Test
    void everyMigrationIsApplied() {
        MigrationInfo[] applied = flyway.info().applied();
        assertTrue(applied.length >= 1);
        assertEquals("1", applied[0].getVersion().getVersion());
        for (MigrationInfo migration : applied) {
            assertEquals(MigrationState.SUCCESS, migration.getState(), migration.getScript());
        }
        assertEquals(0, flyway.info().pending().length);
    }

    /**
     * Scopes written space-separated before V9 become JSON lists, quotes and backslashes escaped.
     * Run in a schema of its own, migrated to V8 first, so the hub's own rows are not touched.
     */
    @Test
    void scopeListsWrittenBeforeV9BecomeJson() throws SQLException {
        String schema = "v9_" + UUID.randomUUID().toString().substring(0, 8);
        Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration").target("8").load().migrate();
        // Flyway quotes the schema's name: so must the statements (H2 would upper-case it).
        String in = "\"" + schema + "\".";
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO " + in + "users (id, name, created) VALUES (1, 'old', CURRENT_TIMESTAMP)");
            sql.execute("INSERT INTO " + in + "api_tokens (user_id, kind, prefix, salt, hash, client_id, scopes, created) VALUES "
                    + "(1, 'api', 'p1', 's', 'h', 'jupyterhub', 'read:users access:servers!server=old/a\\\"b', CURRENT_TIMESTAMP), "
                    + "(1, 'api', 'p2', 's', 'h', 'jupyterhub', '', CURRENT_TIMESTAMP)");
            sql.execute("INSERT INTO " + in + "oauth_clients (identifier, secret_salt, secret_hash, redirect_uri, allowed_scopes) "
                    + "VALUES ('jupyterhub-user-old', 's', 'h', '/user/old/oauth_callback', 'access:servers!server=old/ access:servers!user=old')");
        }
        Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration").load().migrate();
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            var tokens = sql.executeQuery("SELECT prefix, scopes FROM " + in + "api_tokens ORDER BY prefix");
            assertTrue(tokens.next());
            assertEquals(List.of("read:users", "access:servers!server=old/a\\\"b"), JsonColumns.list(tokens.getString(2)));
            assertTrue(tokens.next());
            assertEquals(List.of(), JsonColumns.list(tokens.getString(2)));
            var clients = sql.executeQuery("SELECT allowed_scopes FROM " + in + "oauth_clients");
            assertTrue(clients.next());
            assertEquals(List.of("access:servers!server=old/", "access:servers!user=old"), JsonColumns.list(clients.getString(1)));
            sql.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
        }
    }

    @Test
    void namesAreUnique() {
        String name = unique("dup");
        QuarkusTransaction.requiringNew().run(() -> user(name));
        assertUniqueViolation(() -> QuarkusTransaction.requiringNew().run(() -> user(name)));
        GroupEntity group = QuarkusTransaction.requiringNew().call(() -> group(unique("grp")));
        assertUniqueViolation(() -> QuarkusTransaction.requiringNew().run(() -> group(group.name)));
        QuarkusTransaction.requiringNew().run(() -> server(UserEntity.findByName(name).orElseThrow(), "gpu"));
        assertUniqueViolation(() -> QuarkusTransaction.requiringNew().run(
                () -> server(UserEntity.findByName(name).orElseThrow(), "gpu")));
    }

    @Test
    void timesKeepTheirInstantAndJsonColumnsTheirContent() {
        String name = unique("times");
        Instant when = Instant.parse("2031-02-03T04:05:06.789Z");
        String options = JsonColumns.write(Map.of("profile", "gpu-t4", "note", "x".repeat(5000), "n", 3));
        QuarkusTransaction.requiringNew().run(() -> {
            UserEntity user = user(name);
            user.lastActivity = when;
            ServerEntity server = server(user, "");
            server.userOptions = options;
            server.started = when.plus(1, ChronoUnit.MICROS);
        });
        QuarkusTransaction.requiringNew().run(() -> {
            UserEntity user = UserEntity.findByName(name).orElseThrow();
            assertEquals(when, user.lastActivity);
            ServerEntity server = user.server("").orElseThrow();
            assertEquals(when.plus(1, ChronoUnit.MICROS), server.started);
            assertEquals(JsonColumns.object(options), JsonColumns.object(server.userOptions));
        });
    }

    /**
     * V12's display names: any printable text up to the column's length, kept as written; null
     * for servers recorded before; a rename keeps the row, so its tokens and schedules stay its.
     */
    @Test
    void serversKeepTheirDisplayNameAcrossARename() {
        String name = unique("shown");
        String shown = "GPU \u2014 \u6df1\u5c64\u5b66\u7fd2 " + "\u00e9".repeat(ServerEntity.NAME_LENGTH - 11);
        long id = QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = user(name);
            server(user, "old");
            ServerEntity server = server(user, "gpu");
            server.displayName = shown;
            return server.id;
        });
        QuarkusTransaction.requiringNew().run(() -> {
            UserEntity user = UserEntity.findByName(name).orElseThrow();
            assertEquals(null, user.server("old").orElseThrow().displayName);
            user.server("gpu").orElseThrow().name = "gpu-large";
        });
        QuarkusTransaction.requiringNew().run(() -> {
            ServerEntity server = UserEntity.findByName(name).orElseThrow().server("gpu-large").orElseThrow();
            assertEquals(id, server.id);
            assertEquals(shown, server.displayName);
            assertEquals(ServerEntity.NAME_LENGTH, server.displayName.codePointCount(0, server.displayName.length()));
        });
    }

    /**
     * The activity flush's batched updates, on this database: pending times reach the rows in one
     * flush, only newer times replace stored ones, a keep-alive counts as a report only for a
     * server that reported this run, and reports from before a run started are not its own.
     */
    @Test
    void activityIsFlushedInBatchesAndOnlyEverMovesForward() {
        String name = unique("act");
        Instant t0 = Instant.parse("2025-03-04T05:00:00Z");
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = user(name);
            user.lastActivity = t0.plusSeconds(50);
            ServerEntity reporting = server(user, "");
            reporting.started = t0;
            reporting.reportedActivity = t0.plusSeconds(1);
            ServerEntity silent = server(user, "silent");
            silent.started = t0;
            ServerEntity restarted = server(user, "restarted");
            restarted.started = Instant.now().plusSeconds(3600);
            ServerEntity.flush();
            return new long[] {user.id, reporting.id, silent.id, restarted.id};
        });
        QuarkusTransaction.requiringNew().run(() -> {
            UserEntity user = UserEntity.findById(ids[0]);
            ServerEntity reporting = ServerEntity.findById(ids[1]);
            ServerEntity silent = ServerEntity.findById(ids[2]);
            ServerEntity restarted = ServerEntity.findById(ids[3]);
            activity.user(user, t0.plusSeconds(10));
            activity.user(user, t0.plusSeconds(60));
            activity.user(user, t0.plusSeconds(40));
            activity.keepAlive(reporting, t0.plusSeconds(20));
            activity.keepAlive(silent, t0.plusSeconds(20));
            activity.report(silent, t0.plusSeconds(15));
            activity.report(restarted, t0.plusSeconds(30));
            // Readers see pending activity before it is written.
            assertEquals(t0.plusSeconds(60), activity.lastActivity(user));
            assertEquals(t0.plusSeconds(20), activity.reportedActivity(reporting));
        });
        assertEquals(t0.plusSeconds(50), QuarkusTransaction.requiringNew().call(
                () -> UserEntity.<UserEntity>findById(ids[0]).lastActivity), "not written before the flush");

        activity.flush();
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(t0.plusSeconds(60), UserEntity.<UserEntity>findById(ids[0]).lastActivity);
            ServerEntity reporting = ServerEntity.findById(ids[1]);
            assertEquals(t0.plusSeconds(20), reporting.lastActivity);
            assertEquals(t0.plusSeconds(20), reporting.reportedActivity, "keep-alive of a server that reports");
            ServerEntity silent = ServerEntity.findById(ids[2]);
            assertEquals(t0.plusSeconds(20), silent.lastActivity);
            assertEquals(t0.plusSeconds(15), silent.reportedActivity, "its keep-alive came before its first report");
            assertEquals(t0.plusSeconds(30), ServerEntity.<ServerEntity>findById(ids[3]).lastActivity);
            assertEquals(null, ServerEntity.<ServerEntity>findById(ids[3]).reportedActivity, "an earlier run's report");
        });

        QuarkusTransaction.requiringNew().run(() -> {
            activity.user(UserEntity.findById(ids[0]), t0.plusSeconds(5));
            activity.report(ServerEntity.findById(ids[2]), t0.plusSeconds(12));
        });
        activity.flush();
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(t0.plusSeconds(60), UserEntity.<UserEntity>findById(ids[0]).lastActivity, "older times are ignored");
            assertEquals(t0.plusSeconds(15), ServerEntity.<ServerEntity>findById(ids[2]).reportedActivity);
        });
    }

    @Test
    void deletingAUserRemovesTheirServersTokensCodesAndMemberships() {
        String name = unique("gone");
        String groupName = unique("team");
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = user(name);
            GroupEntity group = group(groupName);
            user.groups.add(group);
            ServerEntity server = server(user, "");
            credentials.issue(server);
            TokenEntity api = tokens.issue(user, TokenEntity.Kind.api, List.of("read:users!user"), "n", null, null, null).token();
            OAuthCodeEntity code = new OAuthCodeEntity();
            code.client = OAuthClientEntity.findByIdentifier("jupyterhub-user-" + name).orElseThrow();
            code.user = user;
            code.codeHash = unique("code");
            code.redirectUri = "/user/" + name + "/oauth_callback";
            code.expiresAt = Instant.now().plusSeconds(60);
            code.persist();
            return new long[] {user.id, server.id, api.id, code.id, group.id};
        });
        assertEquals(1, count("group_members", "user_id", ids[0]));
        assertEquals(2, count("api_tokens", "user_id", ids[0]));

        QuarkusTransaction.requiringNew().run(() -> UserEntity.findByName(name).orElseThrow().delete());

        assertEquals(0, count("servers", "user_id", ids[0]));
        assertEquals(0, count("api_tokens", "user_id", ids[0]));
        assertEquals(0, count("oauth_codes", "user_id", ids[0]));
        assertEquals(0, count("oauth_clients", "server_id", ids[1]));
        assertEquals(0, count("group_members", "user_id", ids[0]));
        QuarkusTransaction.requiringNew().run(() -> {
            GroupEntity group = GroupEntity.findByName(groupName).orElseThrow();
            assertTrue(group.users.isEmpty());
        });
    }

    /** V13: one share per server and recipient, exactly one recipient, gone with its server, owner, user or group. */
    @Test
    void sharesHaveOneRecipientAndGoWithWhatTheyName() {
        String owner = unique("owner");
        String guest = unique("guest");
        String crew = unique("crew");
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            ServerEntity server = server(user(owner), "gpu");
            UserEntity to = user(guest);
            GroupEntity group = group(crew);
            ShareEntity direct = share(server, to, null);
            ShareEntity viaGroup = share(server, null, group);
            ShareCodeEntity code = new ShareCodeEntity();
            code.server = server;
            code.codeHash = unique("hash");
            code.scopes = "[\"access:servers!server=" + owner + "/gpu\"]";
            code.createdAt = Instant.now();
            code.expiresAt = code.createdAt.plusSeconds(60);
            code.persist();
            return new long[] {server.id, direct.id, viaGroup.id, code.id, to.id};
        });
        assertUniqueViolation(() -> QuarkusTransaction.requiringNew().run(() -> share(
                ServerEntity.findById(ids[0]), UserEntity.findByName(guest).orElseThrow(), null)));
        assertCheckViolation(() -> QuarkusTransaction.requiringNew().run(() -> share(ServerEntity.findById(ids[0]), null, null)));
        assertCheckViolation(() -> QuarkusTransaction.requiringNew().run(() -> share(ServerEntity.findById(ids[0]),
                UserEntity.findByName(owner).orElseThrow(), GroupEntity.findByName(crew).orElseThrow())));

        QuarkusTransaction.requiringNew().run(() -> GroupEntity.findByName(crew).orElseThrow().delete());
        assertEquals(0, count("shares", "id", ids[2]));
        QuarkusTransaction.requiringNew().run(() -> UserEntity.findByName(guest).orElseThrow().delete());
        assertEquals(0, count("shares", "id", ids[1]));
        assertEquals(1, count("share_codes", "id", ids[3]));
        QuarkusTransaction.requiringNew().run(() -> UserEntity.findByName(owner).orElseThrow().delete());
        assertEquals(0, count("share_codes", "server_id", ids[0]));
    }

    private static ShareEntity share(ServerEntity server, UserEntity user, GroupEntity group) {
        ShareEntity share = new ShareEntity();
        share.server = server;
        share.user = user;
        share.group = group;
        share.scopeList(List.of("access:servers!server=" + server.fullName()));
        share.createdAt = Instant.now();
        share.persistAndFlush();
        return share;
    }

    @Test
    void deletingAGroupKeepsItsMembers() {
        String name = unique("member");
        String groupName = unique("club");
        QuarkusTransaction.requiringNew().run(() -> user(name).groups.add(group(groupName)));
        QuarkusTransaction.requiringNew().run(() -> GroupEntity.findByName(groupName).orElseThrow().delete());
        QuarkusTransaction.requiringNew().run(() -> assertTrue(UserEntity.findByName(name).orElseThrow().groups.isEmpty()));
    }

    @Test
    void aScheduleHasExactlyOneOwnerAndGoesWithIt() {
        String name = unique("owner");
        String groupName = unique("crew");
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = user(name);
            GroupEntity group = group(groupName);
            return new long[] {user.id, group.id, schedule(user, null).id, schedule(null, group).id};
        });
        assertCheckViolation(() -> QuarkusTransaction.requiringNew().run(() -> schedule(
                UserEntity.findByName(name).orElseThrow(), GroupEntity.findByName(groupName).orElseThrow())));
        assertCheckViolation(() -> QuarkusTransaction.requiringNew().run(() -> schedule(null, null)));
        assertEquals(1, count("schedules", "group_id", ids[1]));

        QuarkusTransaction.requiringNew().run(() -> GroupEntity.findByName(groupName).orElseThrow().delete());
        assertEquals(0, count("schedules", "id", ids[3]));
        assertEquals(1, count("schedules", "id", ids[2]));
        QuarkusTransaction.requiringNew().run(() -> UserEntity.findByName(name).orElseThrow().delete());
        assertEquals(0, count("schedules", "id", ids[2]));
    }

    @Test
    void usageSessionsOutliveTheirUserAndAreFoundByTheirWindow() {
        String name = unique("gpu-user");
        java.time.Instant t = java.time.Instant.parse("2026-11-30T23:00:00.123456Z");
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            user(name);
            UsageSessionEntity closed = session(name, t, t.plusSeconds(7200));
            UsageSessionEntity open = session(name, t.plusSeconds(86_400), null);
            return new long[] {closed.id, open.id};
        });
        QuarkusTransaction.requiringNew().run(() -> UserEntity.findByName(name).orElseThrow().delete());
        QuarkusTransaction.requiringNew().run(() -> {
            java.util.List<Long> december = UsageSessionEntity.overlapping(java.time.Instant.parse("2026-12-01T00:00:00Z"),
                    java.time.Instant.parse("2027-01-01T00:00:00Z")).stream().filter(s -> s.userName.equals(name)).map(s -> s.id).toList();
            assertEquals(java.util.List.of(ids[0], ids[1]), december);
            assertEquals(ids[1], UsageSessionEntity.open(name, "").orElseThrow().id);
            UsageSessionEntity first = UsageSessionEntity.findById(ids[0]);
            assertEquals(t, first.startedAt);
            assertEquals(java.util.List.of("physics", "ml"), first.groups());
            // Touching the window's start is outside it.
            assertTrue(UsageSessionEntity.overlapping(t.plusSeconds(7200), t.plusSeconds(7300)).stream().noneMatch(s -> s.userName.equals(name)));
        });
    }

    @Test
    void aReservationNeedsAWindowAndGPUsAndGoesWithItsGroup() {
        String groupName = unique("lab");
        java.time.Instant t = java.time.Instant.parse("2026-12-07T10:00:00Z");
        long id = QuarkusTransaction.requiringNew().call(() -> reservation(group(groupName), 1, t, t.plusSeconds(3600)).id);
        assertCheckViolation(() -> QuarkusTransaction.requiringNew().run(() ->
                reservation(GroupEntity.findByName(groupName).orElseThrow(), 1, t, t)));
        assertCheckViolation(() -> QuarkusTransaction.requiringNew().run(() ->
                reservation(GroupEntity.findByName(groupName).orElseThrow(), 0, t, t.plusSeconds(60))));
        QuarkusTransaction.requiringNew().run(() -> assertEquals(1, ReservationEntity.notOver(t).stream().filter(r -> r.id == id).count()));
        QuarkusTransaction.requiringNew().run(() -> GroupEntity.findByName(groupName).orElseThrow().delete());
        assertEquals(0, count("gpu_reservations", "id", id));
    }

    private static UsageSessionEntity session(String user, java.time.Instant started, java.time.Instant stopped) {
        UsageSessionEntity s = new UsageSessionEntity();
        s.userName = user;
        s.serverName = "";
        s.groupsAtStart = "[\"physics\",\"ml\"]";
        s.profile = "gpu-t4";
        s.gpuType = "nvidia-tesla-t4";
        s.gpus = 1;
        s.cpus = 0.5;
        s.memBytes = 1L << 33;
        s.startedAt = started;
        s.stoppedAt = stopped;
        s.stopReason = stopped == null ? null : "user";
        s.persist();
        return s;
    }

    private static ReservationEntity reservation(GroupEntity group, int gpus, java.time.Instant from, java.time.Instant to) {
        ReservationEntity r = new ReservationEntity();
        r.group = group;
        r.gpuType = "nvidia-tesla-t4";
        r.gpus = gpus;
        r.startsAt = from;
        r.endsAt = to;
        r.createdAt = from;
        r.persist();
        return r;
    }

    @Test
    void aServersCredentialsDieWithItAndNothingElse() {
        String name = unique("creds");
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = user(name);
            ServerEntity server = server(user, "lab");
            credentials.issue(server);
            TokenEntity oauth = tokens.issue(user, TokenEntity.Kind.oauth, List.of("access:servers!server=" + name + "/lab"),
                    null, null, null, "jupyterhub-user-" + name + "-lab").token();
            TokenEntity api = tokens.issue(user, TokenEntity.Kind.api, List.of("read:users!user"), "keep", null, null, null).token();
            return new long[] {user.id, server.id, oauth.id, api.id};
        });
        assertEquals(3, count("api_tokens", "user_id", ids[0]));
        assertEquals(1, count("oauth_clients", "server_id", ids[1]));

        QuarkusTransaction.requiringNew().run(() -> credentials.revoke(ServerEntity.findById(ids[1])));

        assertEquals(0, count("oauth_clients", "server_id", ids[1]));
        assertEquals(1, count("api_tokens", "user_id", ids[0]));
        assertEquals(1, count("api_tokens", "id", ids[3]));

        // A server row going away takes its own token with it (ON DELETE CASCADE).
        QuarkusTransaction.requiringNew().run(() -> credentials.issue(ServerEntity.findById(ids[1])));
        QuarkusTransaction.requiringNew().run(() -> ServerEntity.deleteById(ids[1]));
        assertEquals(0, count("api_tokens", "server_id", ids[1]));
        assertEquals(1, count("api_tokens", "user_id", ids[0]));
    }

    @Test
    void aServiceOwnsItsTokensAndClientAndTakesThemAlong() {
        String name = unique("svc");
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            ServiceEntity service = new ServiceEntity();
            service.name = name;
            service.fromConfig = false;
            service.url = "http://127.0.0.1:10101";
            service.info = JsonColumns.write(Map.of("team", "ml"));
            service.created = Instant.now();
            service.persist();
            TokenEntity token = tokens.storeServiceToken(service, "service-secret-" + name, "from the API");
            OAuthClientEntity client = new OAuthClientEntity();
            client.identifier = "service-" + name;
            client.service = service;
            client.secretSalt = "salt";
            client.secretHash = "hash";
            client.redirectUri = "/services/" + name + "/oauth_callback";
            client.allowedScopeList(List.of("access:services!service=" + name));
            client.persist();
            return new long[] {service.id, token.id};
        });
        QuarkusTransaction.requiringNew().run(() -> {
            TokenEntity found = tokens.find("service-secret-" + name).orElseThrow();
            assertEquals(name, found.service.name);
            assertEquals(null, found.user);
            assertEquals(Map.of("team", "ml"), ServiceEntity.findByName(name).orElseThrow().infoObject());
        });
        // A token belongs to a user or a service: never to neither.
        assertCheckViolation(() -> QuarkusTransaction.requiringNew().run(() -> {
            TokenEntity orphan = new TokenEntity();
            orphan.kind = TokenEntity.Kind.api;
            orphan.prefix = "orphan00";
            orphan.salt = "s";
            orphan.hash = "h";
            orphan.scopeList(List.of("inherit"));
            orphan.created = Instant.now();
            orphan.persist();
        }));
        QuarkusTransaction.requiringNew().run(() -> ServiceEntity.deleteById(ids[0]));
        assertEquals(0, count("api_tokens", "id", ids[1]));
        assertEquals(0, count("oauth_clients", "service_id", ids[0]));
    }

    @Test
    void tokensAreFoundByTheirSecretListedAndExpire() {
        String name = unique("tok");
        String[] secrets = QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = user(name);
            String live = tokens.issue(user, TokenEntity.Kind.api, List.of("read:users!user"), "live", Duration.ofHours(1), null, null).secret();
            String session = tokens.issue(user, TokenEntity.Kind.session, List.of("inherit"), null, null, null, null).secret();
            String dead = tokens.issue(user, TokenEntity.Kind.api, List.of("read:users!user"), "dead", Duration.ofNanos(1), null, null).secret();
            return new String[] {live, session, dead};
        });
        QuarkusTransaction.requiringNew().run(() -> {
            TokenEntity live = tokens.find(secrets[0]).orElseThrow();
            assertEquals("live", live.note);
            assertNotNull(live.lastActivity);
            assertTrue(tokens.find(secrets[0].substring(0, 20) + "x".repeat(23)).isEmpty());
            assertEquals(TokenEntity.Kind.session, tokens.find(secrets[1]).orElseThrow().kind);
            assertTrue(tokens.find(secrets[2]).isEmpty(), "expired");
            List<TokenEntity> listed = tokens.listed(UserEntity.findByName(name).orElseThrow());
            assertEquals(List.of("live"), listed.stream().map(t -> t.note).toList());
        });
        // An expired token found is deleted for good.
        assertEquals(2, QuarkusTransaction.requiringNew().call(
                () -> TokenEntity.count("user.name", name)));
    }

    @Test
    void theQueriesTheApiRunsPageAndFilter() {
        String prefix = unique("pg");
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 7; i++) {
                UserEntity user = user(prefix + "-" + i);
                if (i % 3 == 0) {
                    server(user, "").url = "http://127.0.0.1:1" + i;
                }
            }
        });
        QuarkusTransaction.requiringNew().run(() -> {
            List<UserEntity> page = UserEntity.<UserEntity>find("name like ?1", Sort.by("id"), prefix + "-%")
                    .page(Page.of(0, 3)).range(2, 4).list();
            assertEquals(List.of(prefix + "-2", prefix + "-3", prefix + "-4"), page.stream().map(u -> u.name).toList());
            List<String> ready = UserEntity.<UserEntity>find(
                    "select distinct u from UserEntity u join u.servers s where s.url is not null and u.name like ?1 order by u.id",
                    prefix + "-%").stream().map(u -> u.name).toList();
            assertEquals(List.of(prefix + "-0", prefix + "-3", prefix + "-6"), ready);
            assertTrue(ServerEntity.find("user.name = ?1 and name = ?2", prefix + "-3", "").firstResultOptional().isPresent());
            assertFalse(ServerEntity.find("user.name = ?1 and name = ?2", prefix + "-4", "").firstResultOptional().isPresent());
            assertTrue(ServerEntity.count("url is not null") >= 3);
        });

        // The same through the API: pagination media type, state filters, a rename, a delete.
        admin().header("Accept", Pages.MEDIA_TYPE).queryParam("name_filter", prefix).queryParam("offset", 2)
                .queryParam("limit", 3).get("/hub/api/users").then().statusCode(200)
                .body("items.name", contains(prefix + "-2", prefix + "-3", prefix + "-4"))
                .body("_pagination.total", equalTo(7))
                .body("_pagination.next.offset", equalTo(5));
        admin().queryParam("name_filter", prefix).queryParam("state", "inactive").get("/hub/api/users").then()
                .statusCode(200).body("name", contains(prefix + "-1", prefix + "-2", prefix + "-4", prefix + "-5"));
        admin().body(Map.of("name", prefix + "-renamed")).patch("/hub/api/users/" + prefix + "-1").then().statusCode(200);
        admin().delete("/hub/api/users/" + prefix + "-2").then().statusCode(204);
        admin().queryParam("name_filter", prefix).get("/hub/api/users").then().statusCode(200)
                .body("name", contains(prefix + "-0", prefix + "-renamed", prefix + "-3", prefix + "-4", prefix + "-5", prefix + "-6"));
        // Nothing listens at those addresses: leave no "running" server for other tests or shutdown.
        QuarkusTransaction.requiringNew().run(() -> ServerEntity.update(
                "url = null where user.id in (select u.id from UserEntity u where u.name like ?1)", prefix + "-%"));
    }

    private static UserEntity user(String name) {
        UserEntity user = new UserEntity();
        user.name = name;
        user.created = Instant.now();
        user.persist();
        return user;
    }

    private static GroupEntity group(String name) {
        GroupEntity group = new GroupEntity();
        group.name = name;
        group.persist();
        return group;
    }

    private static ServerEntity server(UserEntity user, String name) {
        ServerEntity server = new ServerEntity();
        server.user = user;
        server.name = name;
        server.persist();
        user.servers.add(server);
        return server;
    }

    private static ScheduleEntity schedule(UserEntity user, GroupEntity group) {
        ScheduleEntity schedule = new ScheduleEntity();
        schedule.user = user;
        schedule.userGroup = group;
        schedule.cron = "45 8 * * MON-FRI";
        schedule.timeZone = "Asia/Tokyo";
        schedule.created = Instant.now();
        schedule.persist();
        return schedule;
    }

    private long count(String table, String column, long id) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = " + id)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A unique-key violation is SQL state 23505 on both H2 and PostgreSQL. */
    private static void assertUniqueViolation(Runnable write) {
        assertSqlState(write, "23505");
    }

    /** A check constraint's violation: SQL state 23514 on PostgreSQL (the standard's), 23513 on H2. */
    private static void assertCheckViolation(Runnable write) {
        assertSqlState(write, "23513", "23514");
    }

    private static void assertSqlState(Runnable write, String... states) {
        Throwable thrown = assertThrows(Exception.class, write::run);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && List.of(states).contains(sql.getSQLState())) {
                return;
            }
        }
        throw new AssertionError("not SQL state " + String.join(" or ", states), thrown);
    }

    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
