package io.ganymede.hub.auth;

import static io.ganymede.hub.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawn.ServerCredentials;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The development login, the hub's login cookie, XSRF on cookie-authenticated changes, and logout. */
@QuarkusTest
class SessionsTest {

    @Inject
    ServerCredentials credentials;

    private static String xsrf() {
        return given().get("/hub/login").then().statusCode(200).extract().cookie("_xsrf");
    }

    private static Response login(String user, String xsrfCookie, String xsrfField, String forwardedProto) {
        var request = given().redirects().follow(false).formParam("username", user);
        if (xsrfCookie != null) {
            request.cookie("_xsrf", xsrfCookie);
        }
        if (xsrfField != null) {
            request.formParam("_xsrf", xsrfField);
        }
        if (forwardedProto != null) {
            request.header("X-Forwarded-Proto", forwardedProto);
        }
        return request.post("/hub/login");
    }

    private static String signIn(String user) {
        String xsrf = xsrf();
        return login(user, xsrf, xsrf, null).then().statusCode(302).extract().cookie(CallerFilter.LOGIN_COOKIE);
    }

    @Test
    void theDevelopmentFormSaysItIsInsecure() {
        given().get("/hub/login").then().statusCode(200)
                .body(containsString("Insecure development login."))
                .body(containsString("Any name is accepted and no password is asked"));
    }

    @Test
    void loginNeedsTheXsrfToken() {
        String xsrf = xsrf();
        login("sam", null, null, null).then().statusCode(403);
        login("sam", xsrf, null, null).then().statusCode(403);
        login("sam", xsrf, "something-else", null).then().statusCode(403);
        login("sam", null, xsrf, null).then().statusCode(403);
        admin().get("/hub/api/users/sam").then().statusCode(404);
        login("sam", xsrf, xsrf, null).then().statusCode(302);
        admin().get("/hub/api/users/sam").then().statusCode(200);
    }

    @Test
    void theLoginCookieIsHttpOnlyLaxAndSecureBehindHttps() {
        String xsrf = xsrf();
        Cookie plain = login("tess", xsrf, xsrf, null).detailedCookie(CallerFilter.LOGIN_COOKIE);
        assertTrue(plain.isHttpOnly());
        assertEquals("Lax", plain.getSameSite());
        assertEquals("/hub/", plain.getPath());
        assertFalse(plain.isSecured(), "plain HTTP on loopback");
        Cookie https = login("tess", xsrf, xsrf, "https").detailedCookie(CallerFilter.LOGIN_COOKIE);
        assertTrue(https.isSecured(), "X-Forwarded-Proto: https from the load balancer");
        assertTrue(https.isHttpOnly());
        assertEquals("Lax", https.getSameSite());
    }

    @Test
    void cookieAuthenticatedApiChangesNeedTheXsrfTokenTokenAuthenticatedOnesDoNot() {
        String session = signIn("uma");
        String xsrf = "uma-xsrf-value";
        var withCookie = given().cookie(CallerFilter.LOGIN_COOKIE, session).contentType(ContentType.JSON);
        given().cookie(CallerFilter.LOGIN_COOKIE, session).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo("uma"));
        given().cookie(CallerFilter.LOGIN_COOKIE, session).contentType(ContentType.JSON).body("{}")
                .post("/hub/api/users/uma/tokens").then().statusCode(403)
                .body("message", equalTo("'_xsrf' argument missing from POST"));
        given().cookie(CallerFilter.LOGIN_COOKIE, session).cookie("_xsrf", xsrf).header("X-XSRFToken", "other")
                .contentType(ContentType.JSON).body("{}").post("/hub/api/users/uma/tokens").then().statusCode(403);
        String id = withCookie.cookie("_xsrf", xsrf).header("X-XSRFToken", xsrf).body("{}")
                .post("/hub/api/users/uma/tokens").then().statusCode(201).extract().path("id");
        given().cookie(CallerFilter.LOGIN_COOKIE, session).delete("/hub/api/users/uma/tokens/" + id)
                .then().statusCode(403);
        given().cookie(CallerFilter.LOGIN_COOKIE, session).cookie("_xsrf", xsrf).queryParam("_xsrf", xsrf)
                .delete("/hub/api/users/uma/tokens/" + id).then().statusCode(204);
        // A token cannot be sent by a cross-site page, so token calls need no XSRF token.
        String token = admin().body(Map.of()).post("/hub/api/users/uma/tokens").then().extract().path("token");
        given().header("Authorization", "token " + token).contentType(ContentType.JSON).body("{}")
                .post("/hub/api/users/uma/tokens").then().statusCode(201);
    }

    @Test
    void logoutEndsTheSessionAndTheOAuthTokensOfTheUsersServers() {
        String session = signIn("vera");
        String serverToken = QuarkusTransaction.requiringNew().call(() -> {
            ServerEntity server = new ServerEntity();
            server.user = UserEntity.findByName("vera").orElseThrow();
            server.name = "";
            server.persist();
            return credentials.issue(server);
        });
        Response authorize = given().redirects().follow(false).cookie(CallerFilter.LOGIN_COOKIE, session)
                .queryParam("client_id", "jupyterhub-user-vera").queryParam("redirect_uri", "/user/vera/oauth_callback")
                .queryParam("response_type", "code").queryParam("state", "s1").get("/hub/api/oauth2/authorize");
        assertEquals(302, authorize.statusCode());
        String code = query(authorize.header("Location"), "code");
        String access = given().formParam("client_id", "jupyterhub-user-vera").formParam("client_secret", serverToken)
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", "/user/vera/oauth_callback").post("/hub/api/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
        given().header("Authorization", "Bearer " + access).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo("vera"));

        Response logout = given().redirects().follow(false).cookie(CallerFilter.LOGIN_COOKIE, session).get("/hub/logout");
        assertEquals(302, logout.statusCode());
        assertEquals(0, logout.detailedCookie(CallerFilter.LOGIN_COOKIE).getMaxAge());
        given().header("Authorization", "Bearer " + access).get("/hub/api/user").then().statusCode(403);
        given().cookie(CallerFilter.LOGIN_COOKIE, session).get("/hub/api/user").then().statusCode(403);
        // The server's own token is not the user's to revoke: it keeps working for the server.
        given().header("Authorization", "token " + serverToken).get("/hub/api/user").then().statusCode(200);
    }

    @Test
    void anotherUsersServerIsRefusedAtTheOAuthStepWithoutACode() {
        String session = signIn("wanda");
        admin().post("/hub/api/users/xena");
        QuarkusTransaction.requiringNew().call(() -> {
            ServerEntity server = new ServerEntity();
            server.user = UserEntity.findByName("xena").orElseThrow();
            server.name = "";
            server.persist();
            return credentials.issue(server);
        });
        Response refused = given().redirects().follow(false).cookie(CallerFilter.LOGIN_COOKIE, session)
                .queryParam("client_id", "jupyterhub-user-xena").queryParam("response_type", "code")
                .get("/hub/api/oauth2/authorize");
        assertEquals(403, refused.statusCode());
        assertEquals(null, refused.header("Location"), "no code issued");
        // An admin neither, while admin-access is off (the default).
        admin().body(Map.of("admin", true)).post("/hub/api/users/yuri");
        String yuri = signIn("yuri");
        given().redirects().follow(false).cookie(CallerFilter.LOGIN_COOKIE, yuri)
                .queryParam("client_id", "jupyterhub-user-xena").queryParam("response_type", "code")
                .get("/hub/api/oauth2/authorize").then().statusCode(403);
    }

    static String query(String location, String name) {
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + location);
    }
}
