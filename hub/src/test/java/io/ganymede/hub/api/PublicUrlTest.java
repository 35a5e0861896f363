package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the hub's public URL configured, servers learn theirs and the hub's (JupyterHub 5's
 * JUPYTERHUB_PUBLIC_*), and server models carry full URLs.
 */
@QuarkusTest
@TestProfile(PublicUrlTest.Configured.class)
class PublicUrlTest {

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ganymede.hub.public-url", "https://notebooks.example.com/",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:public-url;DB_CLOSE_DELAY=-1");
        }
    }

    @Test
    void aServerLearnsItsPublicUrlAndTheHubs() throws Exception {
        String token = userWithToken("pia@example.com");
        as(token).urlEncodingEnabled(false).post("/hub/api/users/pia@example.com/servers/exp-1").then().statusCode(201);
        try {
            Map<String, Map<String, Map<String, Object>>> servers = admin().get("/hub/api/users/pia@example.com")
                    .then().extract().path("servers");
            String pid = String.valueOf(servers.get("exp-1").get("state").get("pid"));
            Map<String, String> env = ServersApiTest.environmentOf(Long.parseLong(pid));
            assertEquals("https://notebooks.example.com/user/pia@example.com/exp-1/", env.get("JUPYTERHUB_PUBLIC_URL"));
            assertEquals("https://notebooks.example.com/hub/", env.get("JUPYTERHUB_PUBLIC_HUB_URL"));
            // And the API's full URLs, as JupyterHub gives them with a public_url.
            assertEquals("https://notebooks.example.com/user/pia@example.com/exp-1/", servers.get("exp-1").get("full_url"));
            assertEquals("https://notebooks.example.com/hub/api/users/pia@example.com/servers/exp-1/progress",
                    servers.get("exp-1").get("full_progress_url"));
            // A share link, whole, to send to a colleague (sharing is the tests' "sharers" group's).
            admin().body(Map.of("users", java.util.List.of("pia@example.com"))).post("/hub/api/groups/sharers");
            admin().body(Map.of("users", java.util.List.of("pia@example.com"))).post("/hub/api/groups/sharers/users")
                    .then().statusCode(200);
            String full = as(token).urlEncodingEnabled(false).post("/hub/api/share-codes/pia@example.com/exp-1")
                    .then().statusCode(200).extract().path("full_accept_url");
            assertTrue(full.startsWith("https://notebooks.example.com/hub/accept-share?code="), full);
        } finally {
            as(token).urlEncodingEnabled(false).delete("/hub/api/users/pia@example.com/servers/exp-1").then().statusCode(204);
        }
    }
}
