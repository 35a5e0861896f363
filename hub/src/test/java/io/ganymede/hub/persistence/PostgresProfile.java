package io.ganymede.hub.persistence;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The hub built for PostgreSQL: {@code quarkus.datasource.db-kind} is a build-time property, and
 * a test profile makes Quarkus augment the application again with it (the tests check the JDBC
 * metadata to prove the server really is PostgreSQL).
 */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.db-kind", "postgresql");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
