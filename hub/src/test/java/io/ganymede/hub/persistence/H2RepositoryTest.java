package io.ganymede.hub.persistence;

import io.quarkus.test.junit.QuarkusTest;

/** The repository contract on the embedded default, H2. */
@QuarkusTest
class H2RepositoryTest extends RepositoryContract {

    @Override
    String expectedProduct() {
        return "H2";
    }
}
