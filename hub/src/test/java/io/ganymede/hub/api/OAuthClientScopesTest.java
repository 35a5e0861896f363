package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ganymede.spawner.oauth-client-allowed-scopes (JupyterHub's Spawner.oauth_client_allowed_scopes):
 * a server's login tokens may carry more than access to it, "!server" meaning that server, and
 * only as far as their user holds each scope.
 */
@QuarkusTest
@TestProfile(OAuthClientScopesTest.Configured.class)
class OAuthClientScopesTest {

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ganymede.spawner.oauth-client-allowed-scopes", "read:servers!server,read:users:name",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:oauth-client-scopes;DB_CLOSE_DELAY=-1");
        }
    }

    @Test
    void aServersLoginTokensCarryTheConfiguredScopesForThatServer() throws Exception {
        String user = "quinn@example.com";
        String token = userWithToken(user);
        as(token).post("/hub/api/users/" + user + "/servers/lab").then().statusCode(201);
        try {
            Map<String, Map<String, Map<String, Object>>> servers = admin().get("/hub/api/users/" + user)
                    .then().extract().path("servers");
            Map<String, String> env = ServersApiTest.environmentOf(Long.parseLong(String.valueOf(
                    servers.get("lab").get("state").get("pid"))));
            assertEquals("[\"read:servers!server=quinn@example.com/lab\", \"read:users:name\"]",
                    env.get("JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES"));

            String client = "jupyterhub-user-quinn%40example.com-lab";
            String callback = "/user/quinn@example.com/lab/oauth_callback";
            String location = as(token).redirects().follow(false).queryParam("client_id", client)
                    .queryParam("redirect_uri", callback).queryParam("response_type", "code")
                    .get("/hub/api/oauth2/authorize").then().statusCode(302).extract().header("Location");
            String code = URI.create(location).getQuery().replaceAll(".*code=([^&]+).*", "$1");
            String access = given().formParam("client_id", client).formParam("client_secret", env.get("JUPYTERHUB_API_TOKEN"))
                    .formParam("grant_type", "authorization_code").formParam("code", code).formParam("redirect_uri", callback)
                    .post("/hub/api/oauth2/token").then().statusCode(200)
                    .body("scope", equalTo("access:servers!server=quinn@example.com/lab "
                            + "read:servers!server=quinn@example.com/lab read:users:name"))
                    .extract().path("access_token");
            // What the token holds: the configured scopes, narrowed to what its user holds.
            given().header("Authorization", "Bearer " + access).get("/hub/api/user").then().statusCode(200)
                    .body("scopes", hasItem("read:servers!server=quinn@example.com/lab"))
                    .body("scopes", not(hasItem("read:servers")));
            given().header("Authorization", "Bearer " + access).get("/hub/api/users/" + user + "/servers/lab")
                    .then().statusCode(200).body("name", equalTo("lab"));
        } finally {
            as(token).delete("/hub/api/users/" + user + "/servers/lab").then().statusCode(204);
        }
    }
}
