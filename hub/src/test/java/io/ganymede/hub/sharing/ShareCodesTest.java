package io.ganymede.hub.sharing;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Share codes and the accept page, and what a share gives through the OAuth step a single-user
 * server runs: the recipient reaches the server while shared, and not after the share is revoked,
 * with the token they already hold.
 */
@QuarkusTest
class ShareCodesTest {

    static final String OWNER = "codes.alice@example.com";
    static final String GUEST = "o'brien+codes@example.com";
    static final String CODES = "/hub/api/share-codes/{owner}/{server}";

    static String owner;
    static String guest;

    /** Once per class, but in a test's context: REST Assured knows the app's port only then. */
    @BeforeEach
    void users() {
        if (owner != null) {
            return;
        }
        owner = userWithToken(OWNER);
        guest = userWithToken(GUEST);
        admin().body(Map.of("users", List.of(OWNER))).post("/hub/api/groups/sharers");
        admin().body(Map.of("users", List.of(OWNER))).post("/hub/api/groups/sharers/users");
        startServer(owner, OWNER, "");
    }

    @Test
    void codesAreShownOnceExpireAndAreRevoked() {
        as(owner).delete(CODES, OWNER, "").then().statusCode(204);
        JsonPath made = as(owner).post(CODES, OWNER, "").then().statusCode(200)
                .body("scopes", contains("access:servers!server=" + OWNER + "/"))
                .body("id", startsWith("sc_"))
                .body("exchange_count", equalTo(0))
                .body("server.user.name", equalTo(OWNER))
                .body("full_accept_url", equalTo(null))
                .extract().jsonPath();
        String code = made.getString("code");
        assertEquals("/hub/accept-share?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8), made.getString("accept_url"));
        assertEquals(Duration.ofDays(1), Duration.between(Instant.parse(made.getString("created_at")),
                Instant.parse(made.getString("expires_at"))));
        as(owner).get(CODES, OWNER, "").then().statusCode(200)
                .body("items.id", contains(made.getString("id")))
                .body("items[0]", not(hasKey("code"))).body("_pagination.total", equalTo(1));
        as(owner).get("/hub/api/share-codes/{o}", OWNER).then().statusCode(200).body("items.id", contains(made.getString("id")));

        for (Object bad : List.of(59, 31536001, "notanumber", -1)) {
            as(owner).body(Map.of("expires_in", bad)).post(CODES, OWNER, "").then().statusCode(400)
                    .body("message", containsString("expires_in"));
        }
        as(owner).body(Map.of("expires_in", 60, "note", "x")).post(CODES, OWNER, "").then().statusCode(400);
        as(owner).body(Map.of("scopes", List.of("admin:servers"))).post(CODES, OWNER, "").then().statusCode(403);
        // The user role holds no shares at all: refused outright.
        as(guest).post(CODES, OWNER, "").then().statusCode(403);
        as(guest).post(CODES, GUEST, "").then().statusCode(403);
        as(owner).post(CODES, OWNER, "nosuchserver").then().statusCode(404);

        as(owner).queryParam("id", "sc_999999").delete(CODES, OWNER, "").then().statusCode(404)
                .body("message", equalTo("No code found matching id=sc_999999"));
        as(owner).queryParam("id", "invalid").delete(CODES, OWNER, "").then().statusCode(404);
        as(owner).queryParam("code", "nomatch").delete(CODES, OWNER, "").then().statusCode(404)
                .body("message", equalTo("No matching code found"));
        as(owner).queryParam("code", code).delete(CODES, OWNER, "").then().statusCode(204);
        String second = as(owner).body(Map.of("expires_in", 60)).post(CODES, OWNER, "").then().statusCode(200)
                .extract().path("id");
        as(owner).queryParam("id", second).delete(CODES, OWNER, "").then().statusCode(204);
        as(owner).post(CODES, OWNER, "").then().statusCode(200);
        as(owner).delete(CODES, OWNER, "").then().statusCode(204);
        as(owner).get(CODES, OWNER, "").then().statusCode(200).body("_pagination.total", equalTo(0));
    }

    @Test
    void theAcceptPageGrantsTheShareAndTheOAuthStepFollowsIt() {
        as(owner).delete(CODES, OWNER, "").then().statusCode(204);
        String code = as(owner).post(CODES, OWNER, "").then().statusCode(200).extract().path("code");
        String session = signIn(GUEST);
        String xsrf = given().cookie("jupyterhub-hub-login", session).queryParam("code", code).get("/hub/accept-share")
                .then().statusCode(200)
                .body(containsString(OWNER.replace("'", "&#39;")))
                .body(containsString("access:servers!server=" + OWNER + "/"))
                .extract().cookie("_xsrf");
        // Not signed in: to the login page; unknown code: 404; the owner cannot accept their own.
        given().redirects().follow(false).queryParam("code", code).get("/hub/accept-share").then().statusCode(302);
        given().cookie("jupyterhub-hub-login", session).queryParam("code", "nope").get("/hub/accept-share")
                .then().statusCode(404).body(containsString("Share not found or expired"));
        given().cookie("jupyterhub-hub-login", signIn(OWNER)).queryParam("code", code).get("/hub/accept-share")
                .then().statusCode(403);
        // Without the form's _xsrf, a cross-site post: refused.
        given().redirects().follow(false).cookie("jupyterhub-hub-login", session).formParam("code", code)
                .post("/hub/accept-share").then().statusCode(403);

        String client = "jupyterhub-user-" + OWNER.replace("@", "%40");
        String callback = "/user/" + OWNER + "/oauth_callback";
        authorize(guest, client, callback).then().statusCode(403);
        Response accepted = given().redirects().follow(false).cookie("jupyterhub-hub-login", session).cookie("_xsrf", xsrf)
                .formParam("_xsrf", xsrf).formParam("code", code).post("/hub/accept-share");
        assertEquals(303, accepted.statusCode(), accepted.asString());
        assertEquals("/user/" + OWNER + "/", java.net.URI.create(accepted.header("Location")).getPath());
        as(owner).get(CODES, OWNER, "").then().body("items[0].exchange_count", equalTo(1));
        as(guest).get("/hub/api/users/{u}/shared", GUEST).then().body("items.server.user.name", contains(OWNER));

        // Shared: the OAuth step lets the guest in; the token the server then holds says so at each check.
        Response granted = authorize(guest, client, callback);
        assertEquals(302, granted.statusCode(), granted.asString());
        String access = admin().get("/hub/api/users/{u}/tokens", GUEST).then().extract().path("api_tokens[0].id");
        as(guest).get("/hub/api/user").then().body("scopes", org.hamcrest.Matchers.hasItem("access:servers!server=" + OWNER + "/"));

        // Revoked: refused at the next OAuth step, and the guest's tokens no longer reach the server.
        as(owner).body(Map.of("user", GUEST)).patch("/hub/api/shares/{o}/{s}", OWNER, "").then().statusCode(200);
        authorize(guest, client, callback).then().statusCode(403);
        as(guest).get("/hub/api/user").then().body("scopes", not(org.hamcrest.Matchers.hasItem("access:servers!server=" + OWNER + "/")));
        assertEquals(access, admin().get("/hub/api/users/{u}/tokens", GUEST).then().extract().path("api_tokens[0].id"));
    }

    private static Response authorize(String token, String client, String callback) {
        return as(token).redirects().follow(false).queryParam("client_id", client).queryParam("redirect_uri", callback)
                .queryParam("response_type", "code").get("/hub/api/oauth2/authorize");
    }

    private static String signIn(String user) {
        String xsrf = given().get("/hub/login").then().extract().cookie("_xsrf");
        return given().redirects().follow(false).cookie("_xsrf", xsrf).formParam("_xsrf", xsrf)
                .formParam("username", user).post("/hub/login").then().statusCode(302)
                .extract().cookie("jupyterhub-hub-login");
    }
}
