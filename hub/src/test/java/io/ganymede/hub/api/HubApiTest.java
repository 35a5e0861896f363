package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ganymede.hub.spawn.HubShutdown;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The hub-wide endpoints: version, info, who am I, the proxy's table, shutdown. */
@QuarkusTest
class HubApiTest {

    @Test
    void versionAndInfo() {
        given().get("/hub/api").then().statusCode(200).body("version", equalTo("6.1.1"));
        admin().get("/hub/api/info").then().statusCode(200)
                .header("X-JupyterHub-Version", "6.1.1")
                .body("version", equalTo("6.1.1"))
                .body("spawner.class", equalTo("local"))
                .body("sys_executable", notNullValue());
        String token = userWithToken("info-user");
        as(token).get("/hub/api/info").then().statusCode(403).body("status", equalTo(403));
        given().get("/hub/api/info").then().statusCode(403);
    }

    @Test
    void whoAmIForATokenWithFewerScopes() {
        String token = userWithToken("narrow-user", false, Map.of("scopes", List.of("read:users:name!user=narrow-user")));
        as(token).get("/hub/api/user").then().statusCode(200)
                .body("kind", equalTo("user"))
                .body("name", equalTo("narrow-user"))
                .body("scopes", hasItem("read:users:name!user=narrow-user"))
                .body("scopes", not(hasItem("read:users!user=narrow-user")))
                // read:users:name shows whether the user is an admin (JupyterHub 5), not the rest.
                .body("admin", equalTo(false))
                .body("$", not(hasKey("created")))
                .body("$", not(hasKey("roles")));
        String full = userWithToken("full-user");
        as(full).get("/hub/api/user").then().statusCode(200)
                .body("admin", equalTo(false))
                .body("roles", equalTo(List.of("user")))
                .body("servers", equalTo(Map.of()))
                .body("scopes", hasItem("servers!user=full-user"));
    }

    @Test
    void unknownPathsAndMethodsAreJsonErrors() {
        admin().get("/hub/api/no-such-thing").then().statusCode(404).body("status", equalTo(404));
        admin().put("/hub/api/users").then().statusCode(405).body("status", equalTo(405));
    }

    @Test
    void proxyTableAndForcedSync() {
        admin().post("/hub/api/proxy").then().statusCode(200);
        admin().get("/hub/api/proxy").then().statusCode(200)
                .body("'/'.hub", equalTo(true))
                .body("'/'.target", containsString("http://127.0.0.1:"));
        as(userWithToken("proxy-user")).get("/hub/api/proxy").then().statusCode(403);
        as(userWithToken("proxy-user")).post("/hub/api/proxy").then().statusCode(403);
    }

    /** Records requests instead of ending the test application (vetoed: not a bean of its own). */
    @jakarta.enterprise.inject.Vetoed
    static class RecordingShutdown extends HubShutdown {
        final List<Boolean> requests = new CopyOnWriteArrayList<>();

        RecordingShutdown() {
            super(null);
        }

        @Override
        public void request(Boolean stopServers) {
            requests.add(stopServers);
        }
    }

    @Test
    void shutdownIsAcceptedWithJupyterHubsFlags() throws InterruptedException {
        RecordingShutdown shutdown = new RecordingShutdown();
        QuarkusMock.installMockForType(shutdown, HubShutdown.class);
        admin().post("/hub/api/shutdown").then().statusCode(202).body("message", equalTo("Shutting down Hub"));
        admin().body(Map.of("servers", false, "proxy", true)).post("/hub/api/shutdown").then().statusCode(202);
        admin().body(Map.of("servers", "no")).post("/hub/api/shutdown").then().statusCode(400)
                .body("message", equalTo("servers must be true or false, not no"));
        admin().body(Map.of("proxy", 1)).post("/hub/api/shutdown").then().statusCode(400);
        admin().body("{oops").post("/hub/api/shutdown").then().statusCode(400);
        as(userWithToken("shutdown-user")).post("/hub/api/shutdown").then().statusCode(403);
        // Requested once each answer is written, so after the client has it.
        ProfilesApiTest.await(() -> shutdown.requests.size() >= 2);
        assertEquals(2, shutdown.requests.size(), shutdown.requests.toString());
        assertNull(shutdown.requests.get(0));
        assertEquals(false, shutdown.requests.get(1));
    }
}
