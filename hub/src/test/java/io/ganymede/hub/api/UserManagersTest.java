package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JupyterHub 5.1's rule: a user who holds {@code admin:users} through a role, without being an
 * admin, manages users but cannot make admins or change them.
 */
@QuarkusTest
@TestProfile(UserManagersTest.HrRole.class)
class UserManagersTest {

    static final String MANAGER = "hr.lead@example.com";

    public static class HrRole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ganymede.auth.roles[0].name", "user-managers",
                    "ganymede.auth.roles[0].scopes", "admin:users,list:users",
                    "ganymede.auth.roles[0].users", MANAGER);
        }
    }

    @Test
    void aManagerWhoIsNoAdminCannotGrantOrTouchAdmin() {
        admin().post("/hub/api/users/{user}", MANAGER).then().statusCode(201);
        String manager = admin().body(Map.of()).post("/hub/api/users/{user}/tokens", MANAGER)
                .then().statusCode(201).extract().path("token");
        admin().body(Map.of("admin", true)).post("/hub/api/users/{user}", "root.admin@example.com").then().statusCode(201);

        as(manager).post("/hub/api/users/{user}", "new.hire@example.com").then().statusCode(201).body("admin", equalTo(false));
        as(manager).body(Map.of("admin", true)).post("/hub/api/users/{user}", "eager.hire@example.com").then().statusCode(403)
                .body("message", equalTo("Only admins can grant admin permissions"));
        as(manager).body(Map.of("usernames", List.of("batch.one@example.com"), "admin", true)).post("/hub/api/users")
                .then().statusCode(403).body("message", equalTo("Only admins can grant admin permissions"));
        as(manager).body(Map.of("admin", true)).patch("/hub/api/users/{user}", "new.hire@example.com").then().statusCode(403)
                .body("message", equalTo("Only admins can grant admin permissions"));
        as(manager).body(Map.of("name", "taken.over@example.com")).patch("/hub/api/users/{user}", "root.admin@example.com")
                .then().statusCode(403).body("message", equalTo("Only admins can modify other admins"));
        as(manager).body(Map.of("name", "new.hire2@example.com")).patch("/hub/api/users/{user}", "new.hire@example.com")
                .then().statusCode(200).body("name", equalTo("new.hire2@example.com"));
        admin().get("/hub/api/users/{user}", "eager.hire@example.com").then().statusCode(404);
        admin().get("/hub/api/users/{user}", "root.admin@example.com").then().statusCode(200).body("admin", equalTo(true));
        // An admin may do all of it.
        admin().body(Map.of("admin", true)).patch("/hub/api/users/{user}", "new.hire2@example.com").then().statusCode(200)
                .body("admin", equalTo(true));
    }
}
