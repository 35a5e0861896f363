package io.ganymede.hub.oauth;

import static io.ganymede.hub.Api.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.proxy.ProxyToken;
import io.ganymede.hub.spawn.RouteData;
import io.ganymede.proxy.routing.AccessTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hub hands out route access tokens for apps without a login of their own, after checking access. */
@QuarkusTest
class RouteAccessResourceTest {

    @Inject
    ProxyToken proxyToken;

    private static String signIn(String user) {
        String xsrf = given().get("/hub/login").then().extract().cookie("_xsrf");
        return given().redirects().follow(false).cookie("_xsrf", xsrf).formParam("_xsrf", xsrf)
                .formParam("username", user).post("/hub/login").then().statusCode(302)
                .extract().cookie("jupyterhub-hub-login");
    }

    @Test
    void theOwnerGetsATokenForThatRouteOnly() {
        String session = signIn("olga");
        Response response = given().redirects().follow(false).cookie("jupyterhub-hub-login", session)
                .queryParam("next", "/user/olga/rstudio/p/1").get("/hub/open/olga/rstudio");
        assertEquals(302, response.statusCode());
        assertTrue(response.header("Location").endsWith("/user/olga/rstudio/p/1"), response.header("Location"));
        var cookie = response.detailedCookie(AccessTokens.COOKIE);
        assertEquals("/user/olga/rstudio/", cookie.getPath());
        assertTrue(cookie.isHttpOnly());
        AccessTokens tokens = new AccessTokens(proxyToken.value());
        long now = System.currentTimeMillis() / 1000;
        assertTrue(tokens.valid(cookie.getValue(), "/user/olga/rstudio", now));
        assertFalse(tokens.valid(cookie.getValue(), "/user/olga", now));

        Response elsewhere = given().redirects().follow(false).cookie("jupyterhub-hub-login", session)
                .queryParam("next", "https://evil.example/").get("/hub/open/olga/rstudio");
        assertEquals("/user/olga/rstudio/", java.net.URI.create(elsewhere.header("Location")).getPath());
    }

    @Test
    void namesThatNeedEscapingGetATokenForTheRouteAsTheProxyMatchesIt() {
        String name = "o'brien+test@example.com";
        String session = signIn(name);
        Response response = given().redirects().follow(false).urlEncodingEnabled(false).cookie("jupyterhub-hub-login", session)
                .get("/hub/open/o%27brien%2Btest@example.com/r%20studio");
        assertEquals(302, response.statusCode(), response.asString());
        var cookie = response.detailedCookie(AccessTokens.COOKIE);
        assertEquals("/user/o%27brien%2Btest@example.com/r%20studio/", cookie.getPath());
        // The proxy stores and matches routes unescaped, as configurable-http-proxy does.
        long now = System.currentTimeMillis() / 1000;
        assertTrue(new AccessTokens(proxyToken.value()).valid(cookie.getValue(), "/user/" + name + "/r studio", now));
        assertEquals("/hub/open/o%27brien%2Btest@example.com/r%20studio",
                RouteData.forServer(name, "r studio", Map.of("rstudio", true)).get("access_url"));
    }

    @Test
    void othersAreRefusedAndStrangersSentToLogin() {
        admin().post("/hub/api/users/pavel");
        String session = signIn("quentin");
        given().redirects().follow(false).cookie("jupyterhub-hub-login", session).get("/hub/open/pavel")
                .then().statusCode(403);
        given().redirects().follow(false).get("/hub/open/pavel").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.containsString("/hub/login?next="));
    }

    @Test
    void onlyAppsServedAtTheRootAreGated() {
        assertEquals("/hub/open/alice/rstudio", RouteData.forServer("alice", "rstudio", Map.of("rstudio", true)).get("access_url"));
        assertEquals("/hub/open/alice", RouteData.forServer("alice", "", Map.of("strip_prefix", true)).get("access_url"));
        assertFalse(RouteData.forServer("alice", "", Map.of()).containsKey("access_url"));
    }
}
