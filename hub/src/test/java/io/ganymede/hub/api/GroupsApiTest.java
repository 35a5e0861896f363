package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Groups as JupyterHub 5's {@code apihandlers/groups.py}: CRUD, membership, properties. */
@QuarkusTest
class GroupsApiTest {

    @Test
    void createGetAndDelete() {
        admin().body(Map.of("usernames", List.of("grp-ann", "grp-bob"))).post("/hub/api/users").then().statusCode(201);
        admin().body(Map.of("users", List.of("grp-bob", "grp-ann"))).post("/hub/api/groups/grp-one").then().statusCode(201)
                .body("kind", equalTo("group")).body("name", equalTo("grp-one"))
                .body("users", contains("grp-ann", "grp-bob")).body("properties", equalTo(Map.of()));
        admin().post("/hub/api/groups/grp-one").then().statusCode(409).body("message", equalTo("Group grp-one already exists"));
        admin().post("/hub/api/groups/grp-empty").then().statusCode(201).body("users", empty());
        admin().get("/hub/api/groups/grp-one").then().statusCode(200).body("users", contains("grp-ann", "grp-bob"));
        admin().get("/hub/api/users/grp-ann").then().body("groups", hasItem("grp-one"));
        admin().get("/hub/api/groups").then().statusCode(200).body("name", hasItem("grp-one"));
        admin().header("Accept", Pages.MEDIA_TYPE).queryParam("limit", 1).get("/hub/api/groups").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("_pagination.limit", equalTo(1));

        admin().delete("/hub/api/groups/grp-one").then().statusCode(204);
        admin().get("/hub/api/groups/grp-one").then().statusCode(404).body("message", equalTo("No such group: grp-one"));
        admin().delete("/hub/api/groups/grp-one").then().statusCode(404);
        admin().get("/hub/api/users/grp-ann").then().statusCode(200).body("groups", not(hasItem("grp-one")));
    }

    @Test
    void bulkCreation() {
        admin().post("/hub/api/users/grp-cat").then().statusCode(201);
        admin().body(Map.of("groups", List.of("grp-x", "grp-y"), "users", List.of("grp-cat"))).post("/hub/api/groups")
                .then().statusCode(201).body("name", contains("grp-x", "grp-y")).body("[1].users", contains("grp-cat"));
        admin().body(Map.of("groups", List.of("grp-x", "grp-z"))).post("/hub/api/groups").then().statusCode(201)
                .body("name", contains("grp-z"));
        admin().body(Map.of("groups", List.of("grp-x", "grp-y"))).post("/hub/api/groups").then().statusCode(409)
                .body("message", equalTo("All 2 groups already exist"));
        admin().body(Map.of("groups", List.of())).post("/hub/api/groups").then().statusCode(400);
        admin().body(Map.of("groups", "grp-w")).post("/hub/api/groups").then().statusCode(400);
        admin().body("{]").post("/hub/api/groups").then().statusCode(400);
        admin().body(Map.of("groups", List.of("grp-w"), "users", List.of("grp-no-such-user"))).post("/hub/api/groups")
                .then().statusCode(400).body("message", equalTo("No such user: grp-no-such-user"));
        admin().get("/hub/api/groups/grp-w").then().statusCode(404);
    }

    @Test
    void namesLongerThanTheirColumnAreA400() {
        String tooLong = "g".repeat(256);
        admin().post("/hub/api/groups/" + tooLong).then().statusCode(400).body("status", equalTo(400))
                .body("message", equalTo("group name is too long: 256 characters, at most 255"));
        admin().body(Map.of("groups", List.of("grp-fits", tooLong))).post("/hub/api/groups").then().statusCode(400)
                .body("message", equalTo("group name is too long: 256 characters, at most 255"));
        // Nothing of a refused request is kept.
        admin().get("/hub/api/groups/grp-fits").then().statusCode(404);
        admin().post("/hub/api/groups/" + "g".repeat(255)).then().statusCode(201);
    }

    @Test
    void membership() {
        admin().body(Map.of("usernames", List.of("grp-dan", "grp-eva"))).post("/hub/api/users").then().statusCode(201);
        admin().post("/hub/api/groups/grp-team").then().statusCode(201);
        admin().body(Map.of("users", List.of("grp-dan", "grp-eva"))).post("/hub/api/groups/grp-team/users").then()
                .statusCode(200).body("users", contains("grp-dan", "grp-eva"));
        // Adding again changes nothing.
        admin().body(Map.of("users", List.of("grp-dan"))).post("/hub/api/groups/grp-team/users").then()
                .statusCode(200).body("users", contains("grp-dan", "grp-eva"));
        admin().body(Map.of("users", List.of("grp-dan"))).delete("/hub/api/groups/grp-team/users").then()
                .statusCode(200).body("users", contains("grp-eva"));
        admin().get("/hub/api/users/grp-dan").then().body("groups", empty());
        admin().body(Map.of("users", List.of("grp-ghost"))).post("/hub/api/groups/grp-team/users").then().statusCode(400)
                .body("message", containsString("grp-ghost"));
        admin().body(Map.of("users", List.of())).post("/hub/api/groups/grp-team/users").then().statusCode(400);
        admin().body(Map.of()).delete("/hub/api/groups/grp-team/users").then().statusCode(400);
        admin().body(Map.of("users", "grp-dan")).post("/hub/api/groups/grp-team/users").then().statusCode(400);
        admin().body(Map.of("users", List.of("grp-dan"))).post("/hub/api/groups/grp-nope/users").then().statusCode(404);
        // Deleting a member user leaves the group.
        admin().delete("/hub/api/users/grp-eva").then().statusCode(204);
        admin().get("/hub/api/groups/grp-team").then().statusCode(200).body("users", empty());
    }

    @Test
    void properties() {
        admin().post("/hub/api/groups/grp-props").then().statusCode(201);
        admin().body(Map.of("gpu", true, "quota", Map.of("cpu", 4))).put("/hub/api/groups/grp-props/properties").then()
                .statusCode(200).body("properties.gpu", equalTo(true)).body("properties.quota.cpu", equalTo(4));
        admin().get("/hub/api/groups/grp-props").then().body("properties.quota.cpu", equalTo(4));
        admin().body("[1]").put("/hub/api/groups/grp-props/properties").then().statusCode(400);
        admin().body(Map.of()).put("/hub/api/groups/grp-nope/properties").then().statusCode(404);
    }

    @Test
    void usersNeedTheScopes() {
        String token = userWithToken("grp-plain");
        admin().post("/hub/api/groups/grp-locked").then().statusCode(201);
        as(token).post("/hub/api/groups/grp-mine").then().statusCode(403);
        as(token).delete("/hub/api/groups/grp-locked").then().statusCode(403);
        as(token).body(Map.of("users", List.of("grp-plain"))).post("/hub/api/groups/grp-locked/users").then().statusCode(403);
        admin().get("/hub/api/groups/grp-locked").then().body("users", empty());
    }
}
