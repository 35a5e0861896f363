package io.ganymede.hub.services;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.proxy.ProxyToken;
import io.ganymede.proxy.routing.AccessTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * JupyterHub's services contract (apihandlers/services.py, base.py's {@code service_model}): the
 * model each scope shows, 403 and 404 as JupyterHub answers them, services created and deleted
 * through the API (5.0), services' own tokens with their roles, the OAuth login of a service's
 * client, and the services' proxy routes.
 */
@QuarkusTest
@TestProfile(ServicesProfile.class)
class ServicesApiTest {

    @Inject
    ProxyToken proxyToken;

    private static final Set<String> CONFIGURED = Set.of("whoami", "culler", "admin-svc", "board");
    private static final Set<String> NAME_FIELDS = Set.of("kind", "name", "admin");
    private static final Set<String> READ_FIELDS = Set.of("kind", "name", "admin", "url", "prefix", "command", "pid", "info", "display");

    @Test
    void anAdminSeesEveryServiceWithEveryField() {
        Map<String, Map<String, Object>> all = admin().get("/hub/api/services").then().statusCode(200).extract().as(Map.class);
        // The configured ones (other test classes sharing the database may have created more).
        assertTrue(all.keySet().containsAll(CONFIGURED), all.keySet().toString());
        Map<String, Object> whoami = all.get("whoami");
        assertEquals(union(READ_FIELDS, "roles"), whoami.keySet());
        assertEquals("service", whoami.get("kind"));
        assertEquals("http://127.0.0.1:10102", whoami.get("url"));
        assertEquals("/services/whoami/", whoami.get("prefix"));
        assertEquals(List.of(), whoami.get("command"));
        assertEquals(0, whoami.get("pid"));
        assertEquals(Map.of("description", "Who am I, as the hub sees it"), whoami.get("info"));
        assertEquals(true, whoami.get("display"));
        assertEquals(false, whoami.get("admin"));
        assertEquals(List.of(), whoami.get("roles"));
        // No URL: no prefix; a custom role listing the service; the admin flag is the admin role.
        assertEquals("", all.get("culler").get("url"));
        assertEquals("", all.get("culler").get("prefix"));
        assertEquals(false, all.get("culler").get("display"));
        assertEquals(List.of("idle-culler"), all.get("culler").get("roles"));
        assertEquals(true, all.get("admin-svc").get("admin"));
        assertEquals(List.of("admin"), all.get("admin-svc").get("roles"));
        admin().get("/hub/api/services/whoami").then().statusCode(200).body("prefix", equalTo("/services/whoami/"));
        admin().get("/hub/api/services/nope").then().statusCode(404).body("message", equalTo("No such service: nope"));
    }

    @Test
    void eachScopeShowsItsFields() {
        // list:services: every service, names only.
        String lister = userWithToken("svc-lister@example.com");
        Map<String, Map<String, Object>> listed = as(lister).get("/hub/api/services").then().statusCode(200).extract().as(Map.class);
        assertTrue(listed.keySet().containsAll(CONFIGURED), listed.keySet().toString());
        listed.values().forEach(model -> assertEquals(NAME_FIELDS, model.keySet()));
        assertEquals(NAME_FIELDS, as(lister).get("/hub/api/services/culler").then().statusCode(200).extract().as(Map.class).keySet());

        // read:services on one service: its model without roles; another service is a 404, the list a 403.
        String reader = userWithToken("svc-reader@example.com");
        Map<String, Object> model = as(reader).get("/hub/api/services/whoami").then().statusCode(200).extract().as(Map.class);
        assertEquals(READ_FIELDS, model.keySet());
        as(reader).get("/hub/api/services/culler").then().statusCode(404);
        as(reader).get("/hub/api/services/nope").then().statusCode(404);
        as(reader).get("/hub/api/services").then().statusCode(403);

        // A user's own scopes reach no service.
        String plain = userWithToken("svc-plain@example.com");
        as(plain).get("/hub/api/services").then().statusCode(403);
        as(plain).get("/hub/api/services/whoami").then().statusCode(403)
                .body("message", containsString("read:services"));
        given().get("/hub/api/services").then().statusCode(403);
    }

    @Test
    void aServiceTokenHoldsItsRoles() {
        // The idle culler's way in: its role's scopes, no more.
        as(ServicesProfile.CULLER_TOKEN).get("/hub/api/user").then().statusCode(200)
                .body("kind", equalTo("service")).body("name", equalTo("culler")).body("admin", equalTo(false))
                .body("scopes", hasItems("list:users", "read:users:activity", "read:servers", "delete:servers",
                        "read:services:name!service=culler"))
                .body("scopes", not(hasItem("admin:users")))
                .body("token_id", org.hamcrest.Matchers.startsWith("a")).body("$", not(hasKey("url")));
        userWithToken("svc-culled@example.com");
        as(ServicesProfile.CULLER_TOKEN).queryParam("state", "ready").get("/hub/api/users").then().statusCode(200);
        as(ServicesProfile.CULLER_TOKEN).get("/hub/api/users/svc-culled@example.com").then().statusCode(200)
                .body("name", equalTo("svc-culled@example.com"));
        as(ServicesProfile.CULLER_TOKEN).body(Map.of()).post("/hub/api/users/svc-new@example.com").then().statusCode(403);
        as(ServicesProfile.CULLER_TOKEN).get("/hub/api/services").then().statusCode(403);

        // admin: true is the admin role.
        as(ServicesProfile.ADMIN_SERVICE_TOKEN).get("/hub/api/user").then().statusCode(200)
                .body("kind", equalTo("service")).body("name", equalTo("admin-svc")).body("admin", equalTo(true))
                .body("roles", equalTo(List.of("admin"))).body("scopes", hasItems("admin:users", "admin:services"));
        as(ServicesProfile.ADMIN_SERVICE_TOKEN).body(Map.of()).post("/hub/api/users/svc-made-by-service@example.com")
                .then().statusCode(201);
        // A service without roles only identifies itself.
        as(ServicesProfile.WHOAMI_TOKEN).get("/hub/api/user").then().statusCode(200)
                .body("name", equalTo("whoami")).body("scopes", equalTo(List.of("read:services:name!service=whoami")));
        as(ServicesProfile.WHOAMI_TOKEN).get("/hub/api/users").then().statusCode(403);
    }

    @Test
    void servicesCreatedAndDeletedThroughTheApi() {
        Map<String, Object> body = Map.of("url", "http://127.0.0.1:10199", "api_token", "ext-app-token-0123456789",
                "info", Map.of("team", "ml"), "display", false);
        Map<String, Object> created = admin().body(body).post("/hub/api/services/ext-app").then().statusCode(201)
                .body("name", equalTo("ext-app")).body("prefix", equalTo("/services/ext-app/"))
                .body("info.team", equalTo("ml")).body("display", equalTo(false)).extract().as(Map.class);
        assertEquals(union(READ_FIELDS, "roles"), created.keySet());
        admin().body(body).post("/hub/api/services/ext-app").then().statusCode(409)
                .body("message", equalTo("Service ext-app already exists"));
        admin().get("/hub/api/proxy").then().statusCode(200)
                .body("'/services/ext-app'.target", equalTo("http://127.0.0.1:10199"))
                .body("'/services/ext-app'.service", equalTo("ext-app"));
        // Its token works at once, as a service without roles.
        as("ext-app-token-0123456789").get("/hub/api/user").then().statusCode(200).body("kind", equalTo("service"));

        admin().delete("/hub/api/services/whoami").then().statusCode(405)
                .body("message", equalTo("Service whoami is not modifiable at runtime"));
        admin().delete("/hub/api/services/ext-app").then().statusCode(200);
        admin().get("/hub/api/services/ext-app").then().statusCode(404);
        admin().delete("/hub/api/services/ext-app").then().statusCode(404).body("message", equalTo("Service ext-app does not exist"));
        as("ext-app-token-0123456789").get("/hub/api/user").then().statusCode(403);
        admin().get("/hub/api/proxy").then().statusCode(200).body("$", not(hasKey("/services/ext-app")));
    }

    @Test
    void badServiceDefinitionsAreA400() {
        admin().body(Map.of("command", List.of("python3", "app.py"))).post("/hub/api/services/managed").then().statusCode(400)
                .body("message", equalTo("Can not create managed service managed at runtime"));
        admin().body(Map.of("colour", "blue")).post("/hub/api/services/bad-key").then().statusCode(400)
                .body("message", containsString("Invalid JSON keys"));
        admin().body(Map.of("url", 42)).post("/hub/api/services/bad-type").then().statusCode(400)
                .body("message", equalTo("service.url must be a string"));
        admin().body(Map.of("url", "ftp://127.0.0.1/")).post("/hub/api/services/bad-url").then().statusCode(400)
                .body("message", containsString("Must be http[s]"));
        admin().body(Map.of("api_token", "short")).post("/hub/api/services/short-token").then().statusCode(400);
        admin().body(Map.of("oauth_client_id", "my-client", "url", "http://127.0.0.1:1")).post("/hub/api/services/bad-client")
                .then().statusCode(400).body("message", containsString("must start with 'service-'"));
        admin().body(Map.of("oauth_no_confirm", true)).post("/hub/api/services/no-redirect").then().statusCode(400)
                .body("message", containsString("missing required oauth_redirect_uri"));
        admin().body(Map.of("oauth_client_allowed_scopes", List.of("read:everything"))).post("/hub/api/services/bad-scope")
                .then().statusCode(400).body("message", containsString("read:everything"));
        admin().body(Map.of("url", "http://127.0.0.1:1")).post("/hub/api/services/bad name").then().statusCode(400)
                .body("message", containsString("Invalid service name"));
        admin().body("[1]").post("/hub/api/services/not-an-object").then().statusCode(400);
        admin().body("{}").post("/hub/api/services/empty").then().statusCode(400).body("message", equalTo("Invalid service data"));
        admin().body(Map.of("display", true)).post("/hub/api/services/ganymede-admin").then().statusCode(409);
        admin().get("/hub/api/services").then().statusCode(200).body("$", not(hasKey("managed")));

        // admin:services alone may create services, but not give them more than its holder has.
        String serviceAdmin = userWithToken("svc-admin@example.com");
        as(serviceAdmin).body(Map.of("url", "http://127.0.0.1:10198", "oauth_client_allowed_scopes", List.of("admin:users")))
                .post("/hub/api/services/too-much").then().statusCode(400).body("message", containsString("admin:users"));
        as(serviceAdmin).body(Map.of("admin", true)).post("/hub/api/services/too-much").then().statusCode(400);
        as(serviceAdmin).body(Map.of("url", "http://127.0.0.1:10198", "oauth_client_allowed_scopes", List.of("inherit")))
                .post("/hub/api/services/team-app").then().statusCode(201);
        as(serviceAdmin).delete("/hub/api/services/team-app").then().statusCode(200);
        String plain = userWithToken("svc-plain2@example.com");
        as(plain).body(Map.of("url", "http://127.0.0.1:10198")).post("/hub/api/services/mine").then().statusCode(403);
    }

    @Test
    void peopleLogInToAServiceOnlyWithAccessToIt() {
        admin().body(Map.of("users", List.of())).post("/hub/api/groups/svc-team");
        String member = userWithToken("svc-member@example.com");
        admin().body(Map.of("users", List.of("svc-member@example.com"))).post("/hub/api/groups/svc-team/users").then().statusCode(200);
        String outsider = userWithToken("svc-outsider@example.com");
        String client = "service-whoami";
        String callback = "/services/whoami/oauth_callback";

        authorizeRequest(outsider, client, callback).then().statusCode(403)
                .body("message", equalTo("access_denied: User svc-outsider@example.com is not allowed to access service whoami"));

        Response granted = authorizeRequest(member, client, callback);
        assertEquals(302, granted.statusCode(), granted.asString());
        URI location = URI.create(granted.header("Location"));
        assertEquals(callback, location.getPath());
        String code = location.getQuery().replaceAll(".*code=([^&]*).*", "$1");
        // The exchange authenticates the client with the service's API token.
        exchange(client, "wrong-secret-0123456789", code, callback).then().statusCode(401);
        String access = exchange(client, ServicesProfile.WHOAMI_TOKEN, code, callback).then().statusCode(200)
                .body("scope", containsString("access:services!service=whoami")).extract().path("access_token");
        // What HubOAuth checks: the person, and access to the service among the token's scopes.
        as(access).get("/hub/api/user").then().statusCode(200)
                .body("kind", equalTo("user")).body("name", equalTo("svc-member@example.com"))
                .body("scopes", hasItems("access:services!service=whoami", "read:users:groups!user=svc-member@example.com"))
                .body("scopes", not(hasItem("servers!user=svc-member@example.com")));
        // Access ends when the person leaves the group: the token holds it only as far as they do.
        admin().body(Map.of("users", List.of("svc-member@example.com"))).delete("/hub/api/groups/svc-team/users").then().statusCode(200);
        as(access).get("/hub/api/user").then().statusCode(200).body("scopes", not(hasItem("access:services!service=whoami")));
        authorizeRequest(member, client, callback).then().statusCode(403);
        // The token of a service is not a login: the authorize step sends it to sign in.
        assertEquals(302, authorizeRequest(ServicesProfile.CULLER_TOKEN, client, callback).statusCode());
    }

    @Test
    void configuredServicesWithAUrlHaveARoute() {
        admin().post("/hub/api/proxy").then().statusCode(200);
        admin().get("/hub/api/proxy").then().statusCode(200)
                .body("'/services/whoami'.target", equalTo("http://127.0.0.1:10102"))
                .body("'/services/whoami'.service", equalTo("whoami"))
                .body("'/services/whoami'.jupyterhub", equalTo(true))
                .body("'/services/culler'", nullValue());
    }

    @Test
    void anAppWithoutALoginIsOpenedWithTheHubsAccessCookie() {
        admin().body(Map.of("users", List.of())).post("/hub/api/groups/board-team");
        userWithToken("board-member@example.com");
        admin().body(Map.of("users", List.of("board-member@example.com"))).post("/hub/api/groups/board-team/users").then().statusCode(200);
        admin().post("/hub/api/proxy").then().statusCode(200);
        admin().get("/hub/api/proxy").then().statusCode(200)
                .body("'/services/board'.access_url", equalTo("/hub/open-service/board"))
                .body("'/services/whoami'.access_url", nullValue());

        String member = signIn("board-member@example.com");
        Response granted = given().redirects().follow(false).cookie("jupyterhub-hub-login", member)
                .queryParam("next", "/services/board/#scalars").get("/hub/open-service/board");
        assertEquals(302, granted.statusCode(), granted.asString());
        assertEquals("/services/board/#scalars", granted.header("Location").replaceAll("^https?://[^/]+", ""));
        var cookie = granted.detailedCookie(AccessTokens.COOKIE);
        assertEquals("/services/board/", cookie.getPath());
        long now = System.currentTimeMillis() / 1000;
        assertTrue(new AccessTokens(proxyToken.value()).valid(cookie.getValue(), "/services/board", now));
        assertFalse(new AccessTokens(proxyToken.value()).valid(cookie.getValue(), "/services/whoami", now));
        // Only somewhere in the app.
        Response elsewhere = given().redirects().follow(false).cookie("jupyterhub-hub-login", member)
                .queryParam("next", "/user/board-member@example.com/").get("/hub/open-service/board");
        assertEquals("/services/board/", URI.create(elsewhere.header("Location")).getPath());

        String outsider = signIn("board-outsider@example.com");
        given().redirects().follow(false).cookie("jupyterhub-hub-login", outsider).get("/hub/open-service/board")
                .then().statusCode(403).body("message", containsString("not allowed to access service board"));
        given().redirects().follow(false).get("/hub/open-service/board").then().statusCode(302)
                .header("Location", containsString("/hub/login?next="));
        // Services that log people in themselves get no cookie from here.
        given().redirects().follow(false).cookie("jupyterhub-hub-login", member).get("/hub/open-service/whoami")
                .then().statusCode(404);
    }

    @Test
    void pagesLinkTheServicesOnePersonMayOpen() {
        admin().body(Map.of("users", List.of())).post("/hub/api/groups/svc-team");
        admin().body(Map.of("users", List.of())).post("/hub/api/groups/board-team");
        userWithToken("svc-nav@example.com");
        admin().body(Map.of("users", List.of("svc-nav@example.com"))).post("/hub/api/groups/svc-team/users").then().statusCode(200);
        String member = signIn("svc-nav@example.com");
        String home = given().cookie("jupyterhub-hub-login", member).get("/hub/home").then().statusCode(200).extract().asString();
        assertTrue(home.contains("<a href=\"/services/whoami/\" data-service=\"whoami\">whoami</a>"), home);
        assertFalse(home.contains("data-service=\"board\""), "no access to board");
        assertFalse(home.contains("data-service=\"culler\""), "no URL, nothing to open");

        String outsider = signIn("svc-nav-out@example.com");
        String theirs = given().cookie("jupyterhub-hub-login", outsider).get("/hub/home").then().statusCode(200).extract().asString();
        assertFalse(theirs.contains("<summary>Services</summary>"), "no menu without any service to open");
    }

    private static String signIn(String user) {
        String xsrf = given().get("/hub/login").then().extract().cookie("_xsrf");
        return given().redirects().follow(false).cookie("_xsrf", xsrf).formParam("_xsrf", xsrf)
                .formParam("username", user).post("/hub/login").then().statusCode(302)
                .extract().cookie("jupyterhub-hub-login");
    }

    private static Response authorizeRequest(String token, String client, String callback) {
        return as(token).redirects().follow(false).queryParam("client_id", client).queryParam("redirect_uri", callback)
                .queryParam("response_type", "code").queryParam("state", "s1").get("/hub/api/oauth2/authorize");
    }

    private static Response exchange(String client, String secret, String code, String redirect) {
        return given().formParam("client_id", client).formParam("client_secret", secret)
                .formParam("grant_type", "authorization_code").formParam("code", code).formParam("redirect_uri", redirect)
                .post("/hub/api/oauth2/token");
    }

    private static Set<String> union(Set<String> fields, String more) {
        Set<String> all = new java.util.HashSet<>(fields);
        all.add(more);
        return all;
    }
}
