package io.ganymede.hub.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The repository contract on a real PostgreSQL 16 server, with the hub built for PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresRepositoryTest extends RepositoryContract {

    @Override
    String expectedProduct() {
        return "PostgreSQL";
    }

    /**
     * A commit is durable when the server has flushed it: PostgreSQL's synchronous_commit and
     * fsync (both on by default) decide, on the server. The hub's connections must not weaken them
     * for themselves, by a startup option in the URL ("client") or a SET ("session"). The embedded
     * test server itself runs with synchronous_commit off (its "command line"), which is the
     * server's business and is allowed here.
     */
    @Test
    void theHubLeavesCommitDurabilityToTheServer() throws Exception {
        Set<String> seen = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet settings = connection.createStatement().executeQuery("SELECT name, setting, source FROM pg_settings "
                        + "WHERE name IN ('synchronous_commit', 'fsync', 'full_page_writes', 'wal_sync_method')")) {
            while (settings.next()) {
                seen.add(settings.getString("name"));
                assertFalse(List.of("client", "session").contains(settings.getString("source")),
                        settings.getString("name") + "=" + settings.getString("setting") + " set by the hub's connection");
            }
        }
        assertEquals(Set.of("synchronous_commit", "fsync", "full_page_writes", "wal_sync_method"), seen);
    }
}
