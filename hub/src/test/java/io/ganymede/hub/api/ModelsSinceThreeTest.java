package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganymede.hub.activity.ActivityBuffer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What JupyterHub's models and endpoints gained from 3.0 to 6.0, beside the server endpoints. */
@QuarkusTest
class ModelsSinceThreeTest {

    @Inject
    ActivityBuffer activity;

    @Test
    void whoAmINamesTheTokenUsed() {
        String user = "token.owner@example.com";
        userWithToken(user);
        Map<String, Object> issued = admin().body(Map.of("note", "pipeline")).post("/hub/api/users/{user}/tokens", user)
                .then().statusCode(201).extract().as(Map.class);
        as((String) issued.get("token")).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo(user))
                .body("token_id", equalTo(issued.get("id")))
                .body("session_id", nullValue());
    }

    @Test
    void usersCarryUserInfoAndReadUsersNameShowsAdmin() {
        String user = "info.reader@example.com";
        userWithToken(user);
        admin().get("/hub/api/users/{user}", user).then().body("$", hasKey("user_info")).body("user_info", nullValue());
        // Another user's model: a token always identifies its own owner further.
        String names = userWithToken("info.admin@example.com", true, Map.of("scopes", List.of("read:users:name!user=" + user)));
        as(names).get("/hub/api/users/{user}", user).then().statusCode(200)
                .body("admin", equalTo(false)).body("$", hasKey("user_info"))
                .body("$", not(hasKey("groups"))).body("$", not(hasKey("created")));
    }

    @Test
    void usersAreSortedByIdNameOrLastActivity() {
        List<String> names = List.of("sort-c@example.com", "sort-a@example.com", "sort-b@example.com");
        for (String name : names) {
            admin().post("/hub/api/users/{user}", name).then().statusCode(201);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // sort-b is never active: first going up, last going down.
        admin().body(Map.of("last_activity", now.minusSeconds(60).toString())).post("/hub/api/users/sort-c@example.com/activity")
                .then().statusCode(200);
        admin().body(Map.of("last_activity", now.minusSeconds(120).toString())).post("/hub/api/users/sort-a@example.com/activity")
                .then().statusCode(200);
        activity.flush();

        assertEquals(names, sorted(null));
        assertEquals(names, sorted("id"));
        assertEquals(List.of("sort-b@example.com", "sort-a@example.com", "sort-c@example.com"), sorted("-id"));
        assertEquals(List.of("sort-a@example.com", "sort-b@example.com", "sort-c@example.com"), sorted("name"));
        assertEquals(List.of("sort-c@example.com", "sort-b@example.com", "sort-a@example.com"), sorted("-name"));
        assertEquals(List.of("sort-b@example.com", "sort-a@example.com", "sort-c@example.com"), sorted("last_activity"));
        assertEquals(List.of("sort-c@example.com", "sort-a@example.com", "sort-b@example.com"), sorted("-last_activity"));

        // The path where the database pages (no filter, an unfiltered list:users) sorts alike.
        List<String> all = admin().queryParam("sort", "-name").queryParam("limit", 200).get("/hub/api/users")
                .then().statusCode(200).extract().path("name");
        assertEquals(List.of("sort-c@example.com", "sort-b@example.com", "sort-a@example.com"),
                all.stream().filter(names::contains).toList());
        List<String> byName = admin().queryParam("sort", "name").queryParam("limit", 200).get("/hub/api/users")
                .then().statusCode(200).extract().path("name");
        assertEquals(List.of("sort-a@example.com", "sort-b@example.com", "sort-c@example.com"),
                byName.stream().filter(names::contains).toList());

        for (String bad : List.of("created", "-", "name,id", "NAME", "--name")) {
            admin().queryParam("sort", bad).get("/hub/api/users").then().statusCode(400)
                    .body("message", equalTo("sort must be 'id', 'name', or 'last_activity', not '" + bad + "'"));
        }
    }

    private static List<String> sorted(String sort) {
        var request = admin().queryParam("name_filter", "sort-");
        if (sort != null) {
            request = request.queryParam("sort", sort);
        }
        return request.get("/hub/api/users").then().statusCode(200).extract().path("name");
    }

    @Test
    void groupPropertiesAreReplacedWhole() {
        admin().post("/hub/api/groups/{group}", "data science/ml").then().statusCode(400);
        admin().post("/hub/api/groups/{group}", "data-science@example.com").then().statusCode(201)
                .body("properties", equalTo(Map.of()));
        admin().body(Map.of("gpu_quota", 4, "owner", "lead@example.com")).put("/hub/api/groups/{group}/properties",
                "data-science@example.com").then().statusCode(200)
                .body("properties", equalTo(Map.of("gpu_quota", 4, "owner", "lead@example.com")));
        admin().body(Map.of("gpu_quota", 2)).put("/hub/api/groups/{group}/properties", "data-science@example.com")
                .then().statusCode(200).body("properties", equalTo(Map.of("gpu_quota", 2)));
        admin().body(List.of(1)).put("/hub/api/groups/{group}/properties", "data-science@example.com").then().statusCode(400);
        admin().body(Map.of()).put("/hub/api/groups/{group}/properties", "no-such-group").then().statusCode(404);
    }

    /** As JupyterHub 6.0: bytes that are not UTF-8 decode as U+FFFD, and what is then not JSON is a 400. */
    @Test
    void invalidUtf8InAJsonBodyIsA400NotA500() {
        admin().body(new byte[] {(byte) 0xff, (byte) 0xfe}).post("/hub/api/users").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("Invalid JSON in body of request"));
        admin().post("/hub/api/users/{user}", "utf8.check@example.com").then().statusCode(201);
        byte[] brokenKey = {'{', '"', 'a', (byte) 0xe2, (byte) 0x82, ':', '1', '}'};
        admin().body(brokenKey).post("/hub/api/users/{user}/tokens", "utf8.check@example.com").then().statusCode(400);
        byte[] brokenProfile = {'{', '"', 'p', 'r', 'o', 'f', 'i', 'l', 'e', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
        admin().body(brokenProfile).post("/hub/api/users/{user}/server", "utf8.check@example.com").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("\ufffd("));
    }

    @Test
    void theVersionIsOpenToAnyOrigin() {
        given().header("Origin", "https://notebooks.example.com").get("/hub/api/").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "*");
    }
}
