package io.ganymede.hub.tokens;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A token stored as JupyterHub stores it (4-character prefix, {@code sha512:rounds:salt} hash),
 * as {@code import-jupyterhub} writes it, authenticates its owner through the API unchanged.
 */
@QuarkusTest
class ImportedTokenTest {

    /** The secret JupyterHub 5.5.4 hashed into {@link JupyterHubHashTest#ONE_ROUND}. */
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void aTokenHashedByJupyterHubAuthenticatesWithItsScopes() {
        String user = "imported-pipeline@example.com";
        admin().body(Map.of()).post("/hub/api/users/" + user).then().statusCode(201);
        JupyterHubHash.Parts hash = JupyterHubHash.parse(JupyterHubHashTest.ONE_ROUND).orElseThrow();
        QuarkusTransaction.requiringNew().run(() -> {
            TokenEntity token = new TokenEntity();
            token.user = UserEntity.findByName(user).orElseThrow();
            token.kind = TokenEntity.Kind.api;
            token.prefix = SECRET.substring(0, 4);
            token.salt = hash.salt();
            token.hash = hash.digest();
            token.note = "pipeline";
            token.scopeList(List.of("read:users"));
            token.created = Instant.now();
            token.persist();
        });
        as(SECRET).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo(user)).body("kind", equalTo("user")).body("scopes", hasItem("read:users!user=" + user));
        as(SECRET).get("/hub/api/users/" + user).then().statusCode(200).body("name", equalTo(user));
        // read:users does not reach tokens or servers.
        as(SECRET).post("/hub/api/users/" + user + "/tokens").then().statusCode(403);
        as(SECRET.substring(0, 31) + "0").get("/hub/api/user").then().statusCode(403);
    }
}
