package io.ganymede.hub.web;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.web.WebPagesTest.Session;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The home page's sharing: what it lists for an owner who may share and for the people a server is
 * shared with, escaped, and that its buttons, sent as the page's script sends them, do what they say.
 */
@QuarkusTest
class HomeSharingTest {

    static final String OWNER = "home.alice@example.com";
    static final String GUEST = "o'brien+home@example.com";
    static final String MEMBER = "home.carol@example.com";
    /** JupyterHub 6.0 names new servers as slugs; O'Brien's name is what needs escaping here. */
    static final String NAMED = "exp-1";
    static final String GROUP = "deck crew" + WebPagesTest.EVIL;
    static final String SHARES = "/hub/api/shares/{owner}/{server}";

    static String owner;

    /** Once per class, but in a test's context: REST Assured knows the app's port only then. */
    @BeforeEach
    void users() {
        if (owner != null) {
            return;
        }
        owner = userWithToken(OWNER);
        userWithToken(GUEST);
        userWithToken(MEMBER);
        // The test profile's sharer role is the sharers group's.
        admin().post("/hub/api/groups/sharers");
        admin().body(Map.of("users", List.of(OWNER))).post("/hub/api/groups/sharers/users").then().statusCode(200);
        admin().body(Map.of("users", List.of(MEMBER))).post("/hub/api/groups/{g}", GROUP).then().statusCode(201);
        startServer(owner, OWNER, "");
        int named = as(owner).post("/hub/api/users/{u}/servers/{s}", OWNER, NAMED).statusCode();
        assertTrue(named == 201 || named == 202, "named start answered " + named);
    }

    @Test
    void theOwnerSeesWhoHoldsEachServerAndTheLinksLiveEscaped() {
        as(owner).body(Map.of("user", GUEST)).post(SHARES, OWNER, "").then().statusCode(200);
        as(owner).body(Map.of("group", GROUP)).post(SHARES, OWNER, NAMED).then().statusCode(200);
        String linkId = as(owner).post("/hub/api/share-codes/{o}/{s}", OWNER, NAMED).then().statusCode(200)
                .extract().path("id");

        String home = WebPagesTest.signIn(OWNER).given().get("/hub/home").then().statusCode(200).extract().asString();
        assertTrue(home.contains("Sharing your servers"), home);
        assertFalse(home.contains(WebPagesTest.EVIL), home);
        String defaultServer = section(home, "data-share-server=\"\"");
        assertTrue(defaultServer.contains("user <strong>o&#39;brien+home@example.com</strong>"), defaultServer);
        assertTrue(defaultServer.contains("<code>access:servers!server=home.alice@example.com/</code>"), defaultServer);
        assertTrue(defaultServer.contains("data-url=\"/hub/api/shares/home.alice@example.com/\""), defaultServer);
        assertTrue(defaultServer.contains("data-api-url=\"/hub/api/share-codes/home.alice@example.com/\""), defaultServer);
        assertFalse(defaultServer.contains("data-share-link="), "no link made for the default server");
        String named = section(home, "data-share-server=\"exp-1\"");
        assertTrue(named.contains("group <strong>deck crew&lt;img src=x onerror=alert(1)&gt;</strong>"), named);
        assertTrue(named.contains("data-url=\"/hub/api/shares/home.alice@example.com/exp-1\""), named);
        assertTrue(named.contains("data-share-link=\"" + linkId + "\""), named);
        assertTrue(named.contains("data-api-url=\"/hub/api/share-codes/home.alice@example.com/exp-1?id=" + linkId
                + "\""), named);

        // Those who may not share see no such section, even for servers of their own.
        String guest = WebPagesTest.signIn(GUEST).given().get("/hub/home").then().statusCode(200).extract().asString();
        assertFalse(guest.contains("Sharing your servers"), guest);
    }

    @Test
    void recipientsSeeWhatIsSharedWithThemAndHowAndTheRevokeButtonEndsIt() {
        as(owner).body(Map.of("user", GUEST)).post(SHARES, OWNER, "").then().statusCode(200);
        as(owner).body(Map.of("group", GROUP)).post(SHARES, OWNER, NAMED).then().statusCode(200);

        Session guest = WebPagesTest.signIn(GUEST);
        String page = guest.given().get("/hub/home").then().statusCode(200).extract().asString();
        String row = section(page, "data-shared-owner=\"home.alice@example.com\" data-shared-server=\"default\"");
        assertTrue(row.contains("href=\"/user/home.alice@example.com/\""), row);
        assertTrue(row.contains("<td data-label=\"Shared with\">you</td>"), row);
        assertTrue(row.contains("data-api-url=\"/hub/api/users/o%27brien%2Bhome@example.com/shared/home.alice@example.com/\""),
                row);
        assertTrue(row.contains("data-confirm=\"Stop using home.alice@example.com's server default?"), row);
        assertFalse(page.contains("data-shared-server=\"exp-1\""), "the named server is the group's, not O'Brien's");

        // A group's member sees the share through the group, and cannot leave what the group holds.
        String member = WebPagesTest.signIn(MEMBER).given().get("/hub/home").then().statusCode(200).extract().asString();
        String named = section(member, "data-shared-server=\"exp-1\"");
        assertTrue(named.contains("href=\"/user/home.alice@example.com/exp-1/\""), named);
        assertTrue(named.contains("<td data-label=\"Shared with\">group deck crew&lt;img src=x onerror=alert(1)&gt;</td>"), named);
        assertFalse(named.contains("Leave"), named);
        assertFalse(member.contains(WebPagesTest.EVIL), member);

        // The owner's revoke button, sent as the script sends it: its URL, its body, the XSRF header.
        Session alice = WebPagesTest.signIn(OWNER);
        String mine = section(alice.given().get("/hub/home").then().extract().asString(), "data-share-server=\"\"");
        Matcher revoke = Pattern.compile("data-api-method=\"PATCH\" data-api-url=\"([^\"]+)\" data-body=\"([^\"]+)\"")
                .matcher(mine);
        assertTrue(revoke.find(), mine);
        alice.given().urlEncodingEnabled(false).header("X-XSRFToken", alice.xsrf()).contentType("application/json")
                .accept("application/json").body(unescape(revoke.group(2))).patch(unescape(revoke.group(1)))
                .then().statusCode(200).body(equalTo("{}"));
        as(owner).get(SHARES, OWNER, "").then().body("_pagination.total", equalTo(0));
        String after = guest.given().get("/hub/home").then().statusCode(200).extract().asString();
        assertFalse(after.contains("data-shared-owner=\"home.alice@example.com\""), after);
        as(owner).get(SHARES, OWNER, NAMED).then().body("items.group.name", contains(GROUP));
    }

    /** The element that starts with the marker, up to the next of its kind: one row or one server's block. */
    private static String section(String html, String marker) {
        int start = html.indexOf(marker);
        assertTrue(start >= 0, marker + " not in " + html);
        String attribute = marker.substring(0, marker.indexOf('='));
        int end = html.indexOf(attribute + "=", start + marker.length());
        return html.substring(start, end < 0 ? html.length() : end);
    }

    private static String unescape(String attribute) {
        return attribute.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
