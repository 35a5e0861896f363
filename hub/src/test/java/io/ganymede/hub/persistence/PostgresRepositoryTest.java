package io.ganymede.hub.persistence;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The repository contract on a real PostgreSQL 16 server, with the hub built for PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresRepositoryTest extends RepositoryContract {

    @Override
    String expectedProduct() {
        return "PostgreSQL";
    }
}
