package io.ganymede.hub.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pages over HTTP: sign-in, escaping, XSRF, the spawn form's round trip, error pages. */
@QuarkusTest
@TestProfile(WebPagesTest.Profiles.class)
class WebPagesTest {

    /** Test profiles with HTML in them, and an admin who signs in. */
    public static class Profiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ganymede.profiles.path", "src/test/resources/web-profiles.yaml",
                    "ganymede.auth.admin-users", "boss@example.com");
        }
    }

    static final String EVIL = "<img src=x onerror=alert(1)>";

    /** A signed-in browser: its login cookie and XSRF value. */
    record Session(String login, String xsrf) {
        io.restassured.specification.RequestSpecification given() {
            return io.restassured.RestAssured.given().redirects().follow(false)
                    .cookie("jupyterhub-hub-login", login).cookie("_xsrf", xsrf).accept("text/html");
        }
    }

    static Session signIn(String name) {
        String xsrf = given().get("/hub/login").then().statusCode(200).extract().cookie("_xsrf");
        String login = given().redirects().follow(false).cookie("_xsrf", xsrf)
                .formParams(Map.of("username", name, "_xsrf", xsrf, "next", "/hub/home")).post("/hub/login")
                .then().statusCode(302).extract().cookie("jupyterhub-hub-login");
        return new Session(login, xsrf);
    }

    @Test
    void theHomePageShowsServersByTheirDisplayNameEscaped() {
        String user = "maria.garcia@example.com";
        Session session = signIn(user);
        Api.admin().body(Map.of("display_name", "Thesis <draft> & data")).put("/hub/api/users/{u}/servers/{s}", user, "thesis")
                .then().statusCode(201);
        String home = session.given().get("/hub/home").then().statusCode(200).extract().asString();
        assertTrue(home.contains("<strong>Thesis &lt;draft&gt; &amp; data</strong> <span class=\"muted small\">thesis</span>"), home);
        // New names are asked for by JupyterHub 6.0's rule, which the API checks too.
        assertTrue(home.contains("maxlength=\"30\" pattern=\"[a-z][a-z0-9]*(-[a-z0-9]+)*\""), home);
    }

    @Test
    void nextIsEscapedIntoAValidUrlAndKeptOnThisHub() {
        Session session = signIn("next-walker@example.com");
        String[][] cases = {
            {"/a b", "/a%20b"}, {"/hub/^", "/hub/%5E"}, {"/hub/|", "/hub/%7C"}, {"/hub/`", "/hub/%60"},
            {"/hub/<x>", "/hub/%3Cx%3E"}, {"/hub/{x}", "/hub/%7Bx%7D"}, {"/%", "/%25"}, {"\t", "/hub/home"},
            {"/hub/home?x={y}", "/hub/home?x=%7By%7D"}, {"//evil.example.com/", "/hub/home"},
            {"https://evil.example.com/", "/hub/home"}, {"/\t/evil.example.com", "/hub/home"},
            {"/user/next-walker@example.com/lab", "/user/next-walker@example.com/lab"},
        };
        for (String[] c : cases) {
            String query = "?next=" + java.net.URLEncoder.encode(c[0], java.nio.charset.StandardCharsets.UTF_8);
            // Signed in already: straight on.
            session.given().urlEncodingEnabled(false).get("/hub/login" + query).then().statusCode(302)
                    .header("Location", endsWith(c[1]));
            // Signing in: the form's next, as the login page posts it.
            String xsrf = given().get("/hub/login").then().statusCode(200).extract().cookie("_xsrf");
            given().redirects().follow(false).cookie("_xsrf", xsrf)
                    .formParams(Map.of("username", "next-walker@example.com", "_xsrf", xsrf, "next", c[0]))
                    .post("/hub/login").then().statusCode(302).header("Location", endsWith(c[1]));
        }
    }

    @Test
    void pagesNeedASignInAndTheDevLoginSaysItIsInsecure() {
        given().redirects().follow(false).get("/hub/home").then().statusCode(302)
                .header("Location", containsString("/hub/login?next=%2Fhub%2Fhome"));
        given().get("/hub/login").then().statusCode(200).body(containsString("Insecure development login"))
                .body(containsString("Ganymede 0."));
    }

    @Test
    void pathsOutsideTheHubLeadIntoIt() {
        // The README's first address: JupyterHub sends "/" to "/hub/", never a JSON 404.
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", endsWith("/hub/"));
        given().redirects().follow(false).get("/nothing/here?x=1").then().statusCode(302)
                .header("Location", endsWith("/hub/nothing/here?x=1"));
        // A stopped server's address goes to the hub's page for it, its name escaped as it came.
        given().redirects().follow(false).urlEncodingEnabled(false).get("/user/o%27brien%2Btest@example.com/lab?reset")
                .then().statusCode(302).header("Location", endsWith("/hub/user/o%27brien%2Btest@example.com/lab?reset"));
        Session obrien = signIn("o'brien+test@example.com");
        obrien.given().urlEncodingEnabled(false).get("/hub/user/o%27brien%2Btest@example.com/lab").then().statusCode(503)
                .body(containsString("/hub/spawn/o%27brien%2Btest@example.com"));
        // The hub's own paths and Quarkus' are not redirected.
        given().accept("text/html").get("/hub/nothing").then().statusCode(404).contentType(containsString("text/html"));
        given().get("/hub/api/nothing").then().statusCode(404).body("status", equalTo(404));
        given().get("/q/health").then().statusCode(200);
        // Single-user servers show the hub's logo in their header.
        given().get("/hub/logo").then().statusCode(200).contentType(containsString("image/svg+xml"));
    }

    @Test
    void aNameWithHtmlInItIsShownAsText() {
        Session evil = signIn(EVIL);
        String home = evil.given().get("/hub/home").then().statusCode(200).extract().asString();
        assertTrue(home.contains("&lt;img src=x onerror=alert(1)&gt;"), home);
        assertFalse(home.contains(EVIL), home);
        Session boss = signIn("boss@example.com");
        String admin = boss.given().get("/hub/admin").then().statusCode(200).extract().asString();
        assertTrue(admin.contains("&lt;img src=x onerror=alert(1)&gt;"), admin);
        assertFalse(admin.contains(EVIL), admin);
        // Links to that user's pages escape the name as a path segment.
        assertTrue(admin.contains("/hub/spawn/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"), admin);
        // The buttons' JSON bodies survive the template as JSON.
        assertTrue(admin.contains("data-body='{\"admin\": true}'"), admin);
        // Only admins see the admin page.
        evil.given().get("/hub/admin").then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("for admins"));
    }

    @Test
    void homeListsTheGroupsSchedulesAndAdminManagesThemAllEscaped() {
        Session hal = signIn("hal");
        String group = "crew" + EVIL;
        Api.admin().body(Map.of("users", java.util.List.of("hal"))).post("/hub/api/groups/{g}", group).then().statusCode(201);
        Api.admin().body(Map.of("cron", "45 8 * * MON-FRI", "time_zone", "Asia/Tokyo", "user_options", Map.of("profile", "big")))
                .post("/hub/api/groups/{g}/schedules", group).then().statusCode(201);

        String home = hal.given().get("/hub/home").then().statusCode(200).extract().asString();
        assertTrue(home.contains("Scheduled by your groups"), home);
        assertTrue(home.contains("<strong>crew&lt;img src=x onerror=alert(1)&gt;</strong>"), home);
        assertTrue(home.contains("<code>45 8 * * MON-FRI</code>"), home);
        assertTrue(home.contains("Asia/Tokyo"), home);
        assertTrue(home.contains("<td data-label=\"Profile\">big</td>"), home);
        assertFalse(home.contains(EVIL), home);
        // Someone outside the group sees no such section.
        String other = signIn("ivy").given().get("/hub/home").then().statusCode(200).extract().asString();
        assertFalse(other.contains("Scheduled by your groups"), other);

        String admin = signIn("boss@example.com").given().get("/hub/admin").then().statusCode(200).extract().asString();
        assertFalse(admin.contains(EVIL), admin);
        assertTrue(admin.contains("Scheduled starts (1)"), admin);
        String url = "/hub/api/groups/crew%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/schedules";
        assertTrue(admin.contains("data-url=\"" + url + "\""), admin);
        assertTrue(admin.matches("(?s).*<label for=\"gsched-[0-9]+-cron\">When \\(cron\\)</label><input id=\"gsched-[0-9]+-cron\".*"), admin);
        assertTrue(admin.matches("(?s).*data-api-method=\"DELETE\" data-api-url=\"" + java.util.regex.Pattern.quote(url) + "/[0-9]+\".*"),
                admin);
        Api.admin().delete("/hub/api/groups/{g}", group).then().statusCode(204);
    }

    @Test
    void theSpawnFormShowsProfilesEscapedAndPreselectsFromTheQuery() {
        Session carol = signIn("carol");
        String page = carol.given().get("/hub/spawn/carol").then().statusCode(200).extract().asString();
        assertTrue(page.contains("Small &lt;b&gt;CPU&lt;/b&gt;"), page);
        assertTrue(page.contains("&lt;script&gt;window.bad = 1&lt;/script&gt;"), page);
        assertFalse(page.contains("<script>window.bad"), page);
        assertTrue(page.contains("value=\"small\" checked"), page);
        assertTrue(page.contains("data-pattern=\"^[0-9]+G$\""), page);
        String picked = carol.given().get("/hub/spawn/carol?profile=big&profile-option-big--size=large")
                .then().statusCode(200).extract().asString();
        assertTrue(picked.contains("value=\"big\" checked"), picked);
        assertTrue(picked.contains("<option value=\"large\" selected>"), picked);
        // The API's short form pre-selects too, free text included.
        String typed = carol.given().get("/hub/spawn/carol?profile=big&size--unlisted-choice=96G").then().statusCode(200)
                .extract().asString();
        assertTrue(typed.contains("<option value=\"unlisted_choice\" selected>"), typed);
        assertTrue(typed.contains("value=\"96G\""), typed);
        // JupyterHub 6's links prefix each option with opt-.
        String prefixed = carol.given().get("/hub/spawn/carol?opt-profile=big&opt-size=large").then().statusCode(200)
                .extract().asString();
        assertTrue(prefixed.contains("value=\"big\" checked"), prefixed);
        assertTrue(prefixed.contains("<option value=\"large\" selected>"), prefixed);
    }

    @Test
    void aFormPostWithoutItsXsrfTokenIsRefused() {
        Session dave = signIn("dave");
        dave.given().formParams(Map.of("profile", "small")).post("/hub/spawn/dave").then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("_xsrf"));
        dave.given().formParams(Map.of("profile", "small", "_xsrf", "not-the-cookie")).post("/hub/spawn/dave")
                .then().statusCode(403);
        Api.admin().get("/hub/api/users/dave").then().statusCode(200).body("servers", equalTo(Map.of()));
    }

    @Test
    void aRefusedChoiceComesBackOnTheFormAndAGoodOneStarts() {
        Session erin = signIn("erin");
        Response refused = erin.given().formParams(Map.of("_xsrf", erin.xsrf(), "profile", "big",
                "profile-option-big--size", "unlisted_choice", "profile-option-big--size--unlisted-choice", "lots"))
                .post("/hub/spawn/erin");
        assertEquals(400, refused.statusCode(), refused.asString());
        assertTrue(refused.asString().contains("A size like 32G."), refused.asString());
        assertTrue(refused.asString().contains("value=\"lots\""), "the typed value is kept");

        erin.given().formParams(Map.of("_xsrf", erin.xsrf(), "profile", "big", "profile-option-big--size", "large"))
                .post("/hub/spawn/erin").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.anyOf(endsWith("/hub/spawn-pending/erin"), endsWith("/user/erin/")));
        long deadline = System.nanoTime() + 20_000_000_000L;
        Map<String, Object> options = Map.of();
        while (System.nanoTime() < deadline) {
            options = Api.admin().get("/hub/api/users/erin").then().extract().path("servers.''.user_options");
            if (options != null && !options.isEmpty()) {
                break;
            }
        }
        assertEquals(Map.of("profile", "big", "size", "large"), options);
        // The pending page (or the server, once up) follows; others may not watch it.
        int pending = erin.given().get("/hub/spawn-pending/erin").statusCode();
        assertTrue(pending == 200 || pending == 303, "spawn-pending answered " + pending);
        signIn("frank").given().get("/hub/spawn-pending/erin").then().statusCode(404);
        Api.admin().delete("/hub/api/users/erin/server");
    }

    /** A named server's spawn form takes a display name (JupyterHub 6.0), checked as the API checks it. */
    @Test
    void aNamedServerGetsItsDisplayNameFromTheSpawnForm() {
        Session gwen = signIn("gwen");
        String form = gwen.given().get("/hub/spawn/gwen/analysis").then().statusCode(200).extract().asString();
        assertTrue(form.contains("id=\"display_name\""), form);
        gwen.given().formParams(Map.of("_xsrf", gwen.xsrf(), "profile", "small", "display_name", "Bad  spacing"))
                .post("/hub/spawn/gwen/analysis").then().statusCode(400);
        gwen.given().formParams(Map.of("_xsrf", gwen.xsrf(), "profile", "small", "display_name", "Q3 <analysis>"))
                .post("/hub/spawn/gwen/analysis").then().statusCode(303);
        Api.admin().get("/hub/api/users/gwen/servers/analysis").then().statusCode(200)
                .body("display_name", equalTo("Q3 <analysis>"));
        Api.admin().delete("/hub/api/users/gwen/servers/analysis");
    }

    @Test
    void errorPagesAreHtmlForBrowsersAndJsonForTheApi() {
        given().accept("text/html").queryParam("url", "/user/x/lab").get("/hub/error/503")
                .then().statusCode(503).contentType(containsString("text/html"))
                .body(containsString("not running, or it is still starting")).body(containsString("/hub/home"));
        given().accept("text/html").get("/hub/no-such-page").then().statusCode(404).contentType(containsString("text/html"));
        given().accept("text/html").get("/hub/api/no-such-thing").then().statusCode(404)
                .contentType(containsString("json")).body("status", equalTo(404));
        given().accept("text/html").get("/hub/error/<b>").then().statusCode(404).body(not(containsString("<b>")));
    }

    @Test
    void theLocalSpawnerReportsNoCapacity() {
        Api.as(Api.userWithToken("gina")).get("/hub/api/profiles/capacity").then().statusCode(200).body(equalTo("{}"));
    }
}
