package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsersApiTest {

    @Test
    void createsUsersAndRefusesDuplicates() {
        admin().body(Map.of("usernames", List.of("Ursula", "victor"), "admin", false)).post("/hub/api/users")
                .then().statusCode(201).body("name", contains("ursula", "victor"))
                .body("[0].kind", equalTo("user")).body("[0].admin", equalTo(false))
                .body("[0].created", notNullValue()).body("[0].server", nullValue());
        admin().body(Map.of("usernames", List.of("ursula", "victor"))).post("/hub/api/users")
                .then().statusCode(409).body("status", equalTo(409)).body("message", equalTo("All 2 users already exist"));
        admin().post("/hub/api/users/ursula").then().statusCode(409).body("message", equalTo("User ursula already exists"));
        admin().body(Map.of("usernames", List.of())).post("/hub/api/users").then().statusCode(400);
        admin().body("{not json").post("/hub/api/users").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("Invalid JSON"));
        admin().body("[1, 2]").post("/hub/api/users").then().statusCode(400)
                .body("message", equalTo("Body must be a JSON dict or empty"));
        admin().body(Map.of("usernames", List.of("a/b"))).post("/hub/api/users").then().statusCode(400);
    }

    @Test
    void getPatchAndDelete() {
        admin().post("/hub/api/users/wendy").then().statusCode(201);
        admin().get("/hub/api/users/wendy").then().statusCode(200)
                .body("name", equalTo("wendy")).body("roles", contains("user")).body("servers", equalTo(Map.of()));
        admin().body(Map.of("admin", true)).patch("/hub/api/users/wendy").then().statusCode(200)
                .body("admin", equalTo(true)).body("roles", hasItem("admin"));
        admin().body(Map.of("name", "wendy2")).patch("/hub/api/users/wendy").then().statusCode(200).body("name", equalTo("wendy2"));
        admin().get("/hub/api/users/wendy").then().statusCode(404).body("message", equalTo("No such user: wendy"));
        admin().post("/hub/api/users/xavier");
        admin().body(Map.of("name", "xavier")).patch("/hub/api/users/wendy2").then().statusCode(400);
        admin().body(Map.of("admin", "yes")).patch("/hub/api/users/wendy2").then().statusCode(400);
        admin().delete("/hub/api/users/wendy2").then().statusCode(204);
        admin().delete("/hub/api/users/wendy2").then().statusCode(404);
    }

    @Test
    void aUserSeesThemselvesButNotOthers() {
        String token = userWithToken("yolanda");
        admin().post("/hub/api/users/zed");
        as(token).get("/hub/api/users/yolanda").then().statusCode(200).body("name", equalTo("yolanda"));
        as(token).get("/hub/api/users/zed").then().statusCode(404).body("status", equalTo(404));
        as(token).get("/hub/api/users/nobody-at-all").then().statusCode(404);
        as(token).get("/hub/api/users").then().statusCode(403);
        as(token).body(Map.of("admin", true)).patch("/hub/api/users/yolanda").then().statusCode(403);
        as(token).delete("/hub/api/users/zed").then().statusCode(403);
        given().get("/hub/api/users").then().statusCode(403).body("message", equalTo("Missing or invalid credentials."));
        as("not-a-token-at-all-000000000").get("/hub/api/user").then().statusCode(403);
    }

    @Test
    void whoAmIShowsKindAndScopes() {
        String token = userWithToken("amelia");
        as(token).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo("amelia")).body("kind", equalTo("user"))
                .body("scopes", hasItem("read:users!user=amelia"))
                .body("scopes", hasItem("access:servers!user=amelia"))
                .body("scopes", not(hasItem("admin:users")));
        given().header("Authorization", "Bearer " + token).get("/hub/api/user").then().statusCode(200);
        given().queryParam("token", token).get("/hub/api/user").then().statusCode(200);
        admin().get("/hub/api/user").then().statusCode(200).body("kind", equalTo("service"))
                .body("scopes", hasItem("admin:users"));
    }

    @Test
    void paginatesWithTheJupyterHubMediaType() {
        for (int i = 0; i < 5; i++) {
            admin().post("/hub/api/users/page-user-" + i);
        }
        admin().header("Accept", Pages.MEDIA_TYPE).queryParam("offset", 1).queryParam("limit", 2).get("/hub/api/users")
                .then().statusCode(200)
                .body("items.size()", equalTo(2))
                .body("_pagination.offset", equalTo(1)).body("_pagination.limit", equalTo(2))
                .body("_pagination.total", notNullValue())
                .body("_pagination.next.offset", equalTo(3));
        admin().queryParam("limit", 2).get("/hub/api/users").then().statusCode(200).body("size()", equalTo(2));
        admin().queryParam("offset", "x").get("/hub/api/users").then().statusCode(400);
        admin().queryParam("state", "sleepy").get("/hub/api/users").then().statusCode(400);
        admin().queryParam("state", "ready").get("/hub/api/users").then().statusCode(200);
    }

    @Test
    void activityKeepsOnlyNewerTimes() {
        admin().post("/hub/api/users/bertha");
        admin().body(Map.of("last_activity", "2025-01-01T00:00:00Z")).post("/hub/api/users/bertha/activity").then().statusCode(200);
        admin().body(Map.of("last_activity", "2020-01-01T00:00:00Z")).post("/hub/api/users/bertha/activity").then().statusCode(200);
        admin().get("/hub/api/users/bertha").then().body("last_activity", equalTo("2025-01-01T00:00:00Z"));
        admin().body(Map.of("servers", Map.of("nope", Map.of("last_activity", "2025-06-01T00:00:00Z"))))
                .post("/hub/api/users/bertha/activity").then().statusCode(400)
                .body("message", equalTo("No such server 'nope' for user bertha"));
        admin().body(Map.of("last_activity", "yesterday")).post("/hub/api/users/bertha/activity").then().statusCode(400);
        admin().get("/hub/api/users/bertha").then().body("$", hasKey("last_activity"))
                .body("last_activity", equalTo("2025-01-01T00:00:00Z"));
    }
}
