package io.ganymede.hub.services;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.ganymede.hub.proxy.EmbeddedProxy;
import io.ganymede.hub.proxy.ProxyToken;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /hub/api/routes/access?path=}, which the proxy asks before it lets an API token
 * through a gated route: {@code access:services!service=<name>} for a service's route,
 * {@code access:servers!server=<user>/<server>} (shares included) for a server's; a token that is
 * revoked, expired or lacks the scope is refused.
 */
@QuarkusTest
@TestProfile(ServicesProfile.class)
class RouteAccessCheckTest {

    @Inject
    EmbeddedProxy embeddedProxy;

    @Inject
    ProxyToken proxyToken;

    private static final String CHECK = "/hub/api/routes/access";
    private static final String OWNER = "o'brien+test@example.com";

    private static RequestSpecification check(String token, String path) {
        return (token == null ? given() : as(token)).urlEncodingEnabled(true).queryParam("path", path);
    }

    private static String boardMemberToken(String name, List<String> scopes) {
        admin().body(Map.of("users", List.of())).post("/hub/api/groups/board-team");
        userWithToken(name);
        admin().body(Map.of("users", List.of(name))).post("/hub/api/groups/board-team/users").then().statusCode(200);
        // Issued once the owner holds the scope: a token never gets more than its owner has.
        return admin().body(scopes == null ? Map.of() : Map.of("scopes", scopes)).post("/hub/api/users/{u}/tokens", name)
                .then().statusCode(201).extract().path("token");
    }

    @Test
    void aServiceRouteNeedsAccessToThatService() {
        String pipeline = boardMemberToken("rc.pipeline@example.com", List.of("access:services!service=board"));
        check(pipeline, "/services/board").get(CHECK).then().statusCode(200)
                .body("path", equalTo("/services/board/")).body("scope", equalTo("access:services!service=board"));
        check(pipeline, "/services/board/").get(CHECK).then().statusCode(200);
        // Another service, even one the owner could reach through another role: not this token.
        check(pipeline, "/services/whoami").get(CHECK).then().statusCode(403)
                .body("status", equalTo(403)).body("message", containsString("access:services!service=whoami"));
        // The token's scope stops at its owner's: once they leave the group, it gives nothing.
        String leaver = boardMemberToken("rc.leaver@example.com", List.of("access:services!service=board"));
        check(leaver, "/services/board").get(CHECK).then().statusCode(200);
        admin().body(Map.of("users", List.of("rc.leaver@example.com"))).delete("/hub/api/groups/board-team/users").then().statusCode(200);
        check(leaver, "/services/board").get(CHECK).then().statusCode(403);
        // Without the group, a user's own token never had it.
        check(userWithToken("rc.outsider@example.com"), "/services/board").get(CHECK).then().statusCode(403);
        // A member's token without the scope (only what it was issued with) is refused too.
        String narrow = boardMemberToken("rc.reader@example.com", List.of("read:users!user"));
        check(narrow, "/services/board").get(CHECK).then().statusCode(403);
        // The admin token holds access:services.
        check(io.ganymede.hub.Api.ADMIN_TOKEN, "/services/board").get(CHECK).then().statusCode(200);
    }

    @Test
    void revokedAndExpiredTokensAreRefused() throws Exception {
        String name = "rc.revoked@example.com";
        boardMemberToken(name, null);
        Map<String, Object> issued = admin().body(Map.of("scopes", List.of("access:services!service=board")))
                .post("/hub/api/users/{u}/tokens", name).then().statusCode(201).extract().as(Map.class);
        String token = (String) issued.get("token");
        check(token, "/services/board").get(CHECK).then().statusCode(200);
        admin().delete("/hub/api/users/{u}/tokens/{id}", name, issued.get("id")).then().statusCode(204);
        check(token, "/services/board").get(CHECK).then().statusCode(403).body("message", equalTo("Missing or invalid credentials."));

        String expiring = admin().body(Map.of("scopes", List.of("access:services!service=board"), "expires_in", 1))
                .post("/hub/api/users/{u}/tokens", name).then().statusCode(201).extract().path("token");
        check(expiring, "/services/board").get(CHECK).then().statusCode(200);
        Thread.sleep(2100);
        check(expiring, "/services/board").get(CHECK).then().statusCode(403);
        check(null, "/services/board").get(CHECK).then().statusCode(403);
    }

    @Test
    void serverRoutesNeedAccessToThatServerAndSharesGiveIt() {
        String owner = userWithToken(OWNER);
        String other = userWithToken("rc.other@example.com");
        check(owner, "/user/" + OWNER).get(CHECK).then().statusCode(200)
                .body("scope", equalTo("access:servers!server=" + OWNER + "/"));
        check(owner, "/user/" + OWNER + "/rstudio").get(CHECK).then().statusCode(200)
                .body("path", equalTo("/user/" + OWNER + "/rstudio/"))
                .body("scope", equalTo("access:servers!server=" + OWNER + "/rstudio"));
        // Escaped on the wire exactly as the proxy sends it.
        given().urlEncodingEnabled(false).header("Authorization", "token " + owner)
                .get(CHECK + "?path=%2Fuser%2Fo%27brien%2Btest%40example.com%2Fr%20studio")
                .then().statusCode(200).body("path", equalTo("/user/" + OWNER + "/r studio/"));
        check(other, "/user/" + OWNER + "/rstudio").get(CHECK).then().statusCode(403)
                .body("message", containsString("access:servers!server=" + OWNER + "/rstudio"));
        check(owner, "/user/rc.other@example.com").get(CHECK).then().statusCode(403);

        // A share of the owner's default server gives access:servers on that server only.
        admin().body(Map.of("users", List.of(OWNER))).post("/hub/api/groups/sharers");
        admin().body(Map.of("users", List.of(OWNER))).post("/hub/api/groups/sharers/users").then().statusCode(200);
        startServer(owner, OWNER, "");
        as(owner).body(Map.of("user", "rc.other@example.com")).post("/hub/api/shares/{o}/{s}", OWNER, "").then().statusCode(200);
        check(other, "/user/" + OWNER).get(CHECK).then().statusCode(200);
        check(other, "/user/" + OWNER + "/rstudio").get(CHECK).then().statusCode(403);
        // Revoking the share ends it at the next check.
        as(owner).delete("/hub/api/shares/{o}/{s}", OWNER, "").then().statusCode(204);
        check(other, "/user/" + OWNER).get(CHECK).then().statusCode(403);
        as(owner).delete("/hub/api/users/{u}/server", OWNER);
    }

    @Test
    void aPathThatIsNoGatedRouteIsA400() {
        String token = userWithToken("rc.paths@example.com");
        for (String path : List.of("", "/", "/hub/api", "/services/", "/services/a/b", "/user/", "/user/a/b/c", "/user//x", "services/x")) {
            check(token, path).get(CHECK).then().statusCode(400).body("status", equalTo(400));
        }
        as(token).get(CHECK).then().statusCode(400).body("message", containsString("path"));
    }

    @Test
    void gatedRoutesTellTheProxyWhereToCheckTokens() {
        // A route as a hub before this check added it: the repair adds the key.
        String api = embeddedProxy.apiUrls().get(0);
        given().header("Authorization", "token " + proxyToken.value()).contentType("application/json")
                .body(Map.of("target", "http://127.0.0.1:10103", "jupyterhub", true, "service", "board",
                        "access_url", "/hub/open-service/board"))
                .post(api + "/api/routes/services/board").then().statusCode(201);
        admin().get("/hub/api/proxy").then().statusCode(200).body("'/services/board'.access_check_url", nullValue());
        admin().post("/hub/api/proxy").then().statusCode(200);
        admin().get("/hub/api/proxy").then().statusCode(200)
                .body("'/services/board'.access_check_url", endsWith("/hub/api/routes/access"))
                .body("'/services/whoami'.access_check_url", nullValue());
        String url = admin().get("/hub/api/proxy").then().extract().path("'/services/board'.access_check_url");
        // The hub's own address: the proxy reaches the check directly, not through itself.
        org.junit.jupiter.api.Assertions.assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/hub/api/routes/access"), url);
    }
}
