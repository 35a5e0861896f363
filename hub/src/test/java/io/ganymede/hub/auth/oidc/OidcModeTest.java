package io.ganymede.hub.auth.oidc;

import static io.ganymede.hub.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.auth.CallerFilter;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawn.ServerCredentials;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * The hub in OIDC mode against a scripted provider on loopback: the login redirect and callback,
 * groups from the claim (manage-groups), admins from admin-groups, a custom role from
 * configuration, and admin-access at the OAuth step. The real-provider flow is KeycloakCodeFlowTest.
 */
@QuarkusTest
@TestProfile(OidcModeTest.Profile.class)
class OidcModeTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("ganymede.auth.mode", "oidc"),
                    Map.entry("ganymede.auth.oidc.client-id", "hub-client"),
                    Map.entry("ganymede.auth.oidc.client-secret", "hub-secret"),
                    Map.entry("ganymede.auth.admin-groups", "hub-admins"),
                    Map.entry("ganymede.auth.manage-groups", "true"),
                    Map.entry("ganymede.auth.admin-access", "true"),
                    Map.entry("ganymede.auth.roles[0].name", "dana-watchers"),
                    Map.entry("ganymede.auth.roles[0].scopes",
                            "read:users!user=dana@example.com,access:servers!user=dana@example.com"),
                    Map.entry("ganymede.auth.roles[0].users", "carl@example.com"),
                    Map.entry("ganymede.auth.roles[0].groups", "auditors"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Provider.class));
        }
    }

    /** The provider's URL is the issuer, so it must be up before the hub starts. */
    public static class Provider implements QuarkusTestResourceLifecycleManager {
        static FakeOidcProvider provider;

        @Override
        public Map<String, String> start() {
            try {
                provider = new FakeOidcProvider();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("ganymede.auth.oidc.issuer", provider.issuer());
        }

        @Override
        public void stop() {
            provider.close();
        }
    }

    @Inject
    ServerCredentials credentials;

    /** Runs the whole browser flow; returns the callback's response. */
    private static Response login(String email, List<String> groups, boolean sameBrowser) throws Exception {
        Response start = given().redirects().follow(false).queryParam("next", "/hub/home").get("/hub/login");
        assertEquals(302, start.statusCode());
        String location = start.header("Location");
        assertTrue(location.startsWith(Provider.provider.issuer() + "/authorize?"), location);
        Map<String, String> query = LoginFormBrowser.query(URI.create(location));
        assertEquals("hub-client", query.get("client_id"));
        String stateCookie = start.getCookie(OidcCookie.NAME);
        JwtClaims claims = Provider.provider.claims("hub-client", query.get("nonce"));
        claims.setClaim("email", email);
        claims.setStringListClaim("groups", groups);
        String idToken = Provider.provider.sign(claims);
        Provider.provider.tokenAnswer = form -> Map.entry(200,
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\"" + idToken + "\"}");
        return given().redirects().follow(false).cookie(OidcCookie.NAME, sameBrowser ? stateCookie : "another-browser")
                .queryParam("state", query.get("state")).queryParam("code", "the-code").get("/hub/oauth_callback");
    }

    private static String signIn(String email, String... groups) throws Exception {
        Response callback = login(email, List.of(groups), true);
        assertEquals(302, callback.statusCode(), callback.asString());
        assertTrue(callback.header("Location").endsWith("/hub/home"), callback.header("Location"));
        return callback.getCookie(CallerFilter.LOGIN_COOKIE);
    }

    private static Response whoami(String session) {
        return given().cookie(CallerFilter.LOGIN_COOKIE, session).get("/hub/api/user");
    }

    private void serverOf(String user) {
        QuarkusTransaction.requiringNew().call(() -> {
            ServerEntity server = new ServerEntity();
            server.user = UserEntity.findByName(user).orElseThrow();
            server.name = "";
            server.persist();
            return credentials.issue(server);
        });
    }

    private static int authorize(String session, String owner) {
        return given().redirects().follow(false).cookie(CallerFilter.LOGIN_COOKIE, session)
                .queryParam("client_id", Urls.clientId(owner, "")).queryParam("response_type", "code")
                .get("/hub/api/oauth2/authorize").statusCode();
    }

    @Test
    void loginSignsInWithTheEmailAndKeepsTheGroupsAndAdminFlagInTheDatabase() throws Exception {
        String session = signIn("Dana@Example.com", "data-science");
        whoami(session).then().statusCode(200).body("name", equalTo("dana@example.com"))
                .body("groups", contains("data-science")).body("admin", equalTo(false));
        admin().get("/hub/api/groups/data-science").then().statusCode(200).body("users", contains("dana@example.com"));

        String asAdmin = signIn("dana@example.com", "hub-admins");
        whoami(asAdmin).then().body("admin", equalTo(true)).body("groups", contains("hub-admins"));
        admin().get("/hub/api/users/dana@example.com").then().body("admin", equalTo(true));

        // Membership decides: out of the admin group, no longer an admin.
        String again = signIn("dana@example.com", "data-science");
        whoami(again).then().body("admin", equalTo(false)).body("groups", contains("data-science"));
    }

    @Test
    void aCallbackFromAnotherBrowserIsRefusedAndCreatesNoUser() throws Exception {
        Response forged = login("ghost@example.com", List.of(), false);
        assertEquals(401, forged.statusCode());
        admin().get("/hub/api/users/ghost@example.com").then().statusCode(404);
    }

    @Test
    void customRolesFromConfigurationApplyToListedUsersAndGroups() throws Exception {
        signIn("dana@example.com", "data-science");
        serverOf("dana@example.com");
        String carl = signIn("carl@example.com");
        String auditor = signIn("erin@example.com", "auditors");
        String stranger = signIn("frank@example.com");
        given().cookie(CallerFilter.LOGIN_COOKIE, carl).get("/hub/api/users/dana@example.com").then().statusCode(200);
        admin().get("/hub/api/users/carl@example.com").then().body("roles", contains("user", "dana-watchers"));
        given().cookie(CallerFilter.LOGIN_COOKIE, auditor).get("/hub/api/users/dana@example.com").then().statusCode(200);
        given().cookie(CallerFilter.LOGIN_COOKIE, stranger).get("/hub/api/users/dana@example.com").then().statusCode(404);
        assertEquals(302, authorize(carl, "dana@example.com"), "the role grants access:servers");
        assertEquals(302, authorize(auditor, "dana@example.com"));
        assertEquals(403, authorize(stranger, "dana@example.com"));
        // The role reaches Dana's resources only.
        given().cookie(CallerFilter.LOGIN_COOKIE, carl).get("/hub/api/users/frank@example.com").then().statusCode(404);
    }

    @Test
    void adminsReachServersWhenAdminAccessIsOn() throws Exception {
        signIn("gail@example.com");
        serverOf("gail@example.com");
        String boss = signIn("hugo@example.com", "hub-admins");
        String peer = signIn("ivan@example.com");
        assertEquals(302, authorize(boss, "gail@example.com"));
        assertEquals(403, authorize(peer, "gail@example.com"));
    }

    @Test
    void logoutEndsTheHubSession() throws Exception {
        String session = signIn("june@example.com");
        whoami(session).then().statusCode(200);
        given().redirects().follow(false).cookie(CallerFilter.LOGIN_COOKIE, session).get("/hub/logout")
                .then().statusCode(302);
        whoami(session).then().statusCode(403);
    }

    /** The state cookie's name, as the hub sets it. */
    static final class OidcCookie {
        static final String NAME = "ganymede-oidc-state";
    }
}
