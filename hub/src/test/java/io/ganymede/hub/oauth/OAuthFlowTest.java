package io.ganymede.hub.oauth;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OAuth2 flow jupyterhub-singleuser runs (Contract 3): authorize with the user's credentials,
 * exchange the code with the server's API token as client secret, then {@code GET /user} with the
 * issued token. Every refusal on the way, and the token's end when the server stops.
 */
@QuarkusTest
class OAuthFlowTest {

    private static final String AUTHORIZE = "/hub/api/oauth2/authorize";
    private static final String TOKEN = "/hub/api/oauth2/token";

    @Test
    void theSingleUserLoginFlow() throws Exception {
        String userToken = userWithToken("oa-user");
        startServer(userToken, "oa-user", "");
        String serverToken = serverToken("oa-user");
        String client = "jupyterhub-user-oa-user";
        String callback = "/user/oa-user/oauth_callback";
        try {
            // Not signed in: off to the login page, coming back here afterwards.
            Response anonymous = given().redirects().follow(false).queryParam("client_id", client)
                    .queryParam("redirect_uri", callback).queryParam("response_type", "code").get(AUTHORIZE);
            assertEquals(302, anonymous.statusCode());
            assertTrue(anonymous.header("Location").contains("/hub/login?next="), anonymous.header("Location"));

            String code = authorize(userToken, client, callback, "xyz");
            // A state the client chose, however odd, comes back as it was sent.
            authorize(userToken, client, callback, "{x} 100% & more=\u00e9");

            // The exchange: wrong secret, wrong grant, wrong redirect are refused; a code works once.
            exchange(client, "wrong-secret", code, callback).then().statusCode(401).body("message", startsWith("invalid_client"));
            given().formParam("client_id", client).formParam("client_secret", serverToken).formParam("grant_type", "password")
                    .formParam("code", code).post(TOKEN).then().statusCode(400).body("message", startsWith("unsupported_grant_type"));
            String access = exchange(client, serverToken, code, callback).then().statusCode(200)
                    .header("Cache-Control", "no-store")
                    .body("token_type", equalTo("Bearer"))
                    .body("scope", equalTo("access:servers!server=oa-user/"))
                    .extract().path("access_token");
            exchange(client, serverToken, code, callback).then().statusCode(400).body("message", startsWith("invalid_grant"));
            String second = authorize(userToken, client, callback, Map.of());
            exchange(client, serverToken, second, "/user/elsewhere/oauth_callback").then().statusCode(400);

            // Client credentials in an Authorization: Basic header, as some clients send them.
            String third = authorize(userToken, client, callback, Map.of());
            String basic = Base64.getEncoder().encodeToString((client + ":" + serverToken).getBytes(StandardCharsets.UTF_8));
            given().header("Authorization", "Basic " + basic).formParam("grant_type", "authorization_code")
                    .formParam("code", third).formParam("redirect_uri", callback).post(TOKEN).then().statusCode(200);

            // What the server checks: who it is and that the access scope is held.
            given().header("Authorization", "Bearer " + access).get("/hub/api/user").then().statusCode(200)
                    .body("name", equalTo("oa-user"))
                    .body("scopes", hasItem("access:servers!server=oa-user/"));
            // The OAuth token is listed among the user's tokens, with its client.
            as(userToken).get("/hub/api/users/oa-user/tokens").then().statusCode(200)
                    .body("api_tokens.oauth_client", hasItem(client));
        } finally {
            as(userToken).delete("/hub/api/users/oa-user/server").then().statusCode(204);
        }
        // A stopped server's client and the tokens it issued are gone.
        given().header("Authorization", "Bearer " + userToken).get("/hub/api/user").then().statusCode(200);
        as(userToken).get("/hub/api/users/oa-user/tokens").then().body("api_tokens.oauth_client", org.hamcrest.Matchers.not(hasItem(client)));
        exchange(client, serverToken, "any", callback).then().statusCode(401);
        as(userToken).redirects().follow(false).queryParam("client_id", client).queryParam("redirect_uri", callback)
                .queryParam("response_type", "code").get(AUTHORIZE).then().statusCode(400).body("message", startsWith("invalid_client"));
    }

    @Test
    void authorizationRefusals() throws Exception {
        String owner = userWithToken("oa-owner");
        String other = userWithToken("oa-other");
        startServer(owner, "oa-owner", "");
        String client = "jupyterhub-user-oa-owner";
        String callback = "/user/oa-owner/oauth_callback";
        try {
            as(other).redirects().follow(false).queryParam("client_id", client).queryParam("redirect_uri", callback)
                    .queryParam("response_type", "code").get(AUTHORIZE).then().statusCode(403).body("message", startsWith("access_denied"));
            as(owner).redirects().follow(false).queryParam("client_id", client).queryParam("redirect_uri", "https://evil.example/cb")
                    .queryParam("response_type", "code").get(AUTHORIZE).then().statusCode(400).body("message", startsWith("invalid_request"));
            as(owner).redirects().follow(false).queryParam("client_id", client).queryParam("redirect_uri", callback)
                    .queryParam("response_type", "token").get(AUTHORIZE).then().statusCode(400);
            as(owner).redirects().follow(false).queryParam("client_id", "jupyterhub-user-nobody").queryParam("response_type", "code")
                    .get(AUTHORIZE).then().statusCode(400);
            as(owner).redirects().follow(false).get(AUTHORIZE).then().statusCode(400);
            // Admins reach other users' servers only with admin-access on (off by default, as JupyterHub 2+).
            String adminUser = userWithToken("oa-admin", true, Map.of());
            as(adminUser).redirects().follow(false).queryParam("client_id", client).queryParam("redirect_uri", callback)
                    .queryParam("response_type", "code").get(AUTHORIZE).then().statusCode(403).body("message", startsWith("access_denied"));
            // Malformed exchanges are 4xx, never 500.
            given().header("Authorization", "Basic !!!").formParam("grant_type", "authorization_code").post(TOKEN).then().statusCode(401);
            given().post(TOKEN).then().statusCode(400);
            given().contentType("application/json").body("{}").post(TOKEN).then().statusCode(400);
            for (String form : new String[] {"grant_type=%", "client_id=%zz&grant_type=authorization_code", "code=%E2%82"}) {
                given().contentType("application/x-www-form-urlencoded").body(form).post(TOKEN).then().statusCode(400)
                        .body("status", equalTo(400));
            }
        } finally {
            as(owner).delete("/hub/api/users/oa-owner/server").then().statusCode(204);
        }
        admin().get("/hub/api/users/oa-owner").then().statusCode(200);
    }

    /** PKCE as JupyterHub 6's single-user servers send it, checked as JupyterHub 6.0's provider checks it. */
    @Test
    void pkceChallengesAreCheckedAtTheExchange() throws Exception {
        String user = "pkce.user@example.com";
        String userToken = userWithToken(user);
        String path = "pkce.user@example.com";
        startServer(userToken, path, "");
        String serverToken = serverToken(path);
        String client = "jupyterhub-user-pkce.user%40example.com";
        String callback = "/user/pkce.user@example.com/oauth_callback";
        String verifier = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW-gFWFOEjXk";
        String challenge = Pkce.s256(verifier);
        try {
            // S256: only the right verifier gets the token; a failed exchange does not spend the code
            // (as in JupyterHub, whose oauthlib spends it on success only).
            String code = authorize(userToken, client, callback, Map.of("code_challenge", challenge, "code_challenge_method", "S256"));
            exchange(client, serverToken, code, callback, verifier).then().statusCode(200).body("token_type", equalTo("Bearer"));
            String wrong = authorize(userToken, client, callback, Map.of("code_challenge", challenge, "code_challenge_method", "S256"));
            exchange(client, serverToken, wrong, callback, verifier.replace('d', 'e')).then().statusCode(400)
                    .body("message", startsWith("invalid_grant"));
            exchange(client, serverToken, wrong, callback, verifier).then().statusCode(200);
            String missing = authorize(userToken, client, callback, Map.of("code_challenge", challenge, "code_challenge_method", "S256"));
            exchange(client, serverToken, missing, callback, null).then().statusCode(400)
                    .body("message", startsWith("invalid_request")).body("message", org.hamcrest.Matchers.containsString("Code verifier required"));
            // plain, the method when none is named.
            String plain = authorize(userToken, client, callback, Map.of("code_challenge", verifier));
            exchange(client, serverToken, plain, callback, challenge).then().statusCode(400);
            String plain2 = authorize(userToken, client, callback, Map.of("code_challenge", verifier));
            exchange(client, serverToken, plain2, callback, verifier).then().statusCode(200);
            // Without a challenge, a verifier is not needed (PKCE is optional unless require-pkce).
            exchange(client, serverToken, authorize(userToken, client, callback, Map.of()), callback, null).then().statusCode(200);
            // Unknown methods and malformed challenges are refused before any code is issued.
            for (Map<String, String> bad : List.of(Map.of("code_challenge", challenge, "code_challenge_method", "S512"),
                    Map.of("code_challenge", "short", "code_challenge_method", "S256"),
                    Map.of("code_challenge", "x".repeat(129)))) {
                var request = as(userToken).redirects().follow(false).queryParam("client_id", client)
                        .queryParam("redirect_uri", callback).queryParam("response_type", "code");
                bad.forEach(request::queryParam);
                request.get(AUTHORIZE).then().statusCode(400).body("message", startsWith("invalid_request"));
            }
        } finally {
            as(userToken).delete("/hub/api/users/" + path + "/server").then().statusCode(204);
        }
    }

    private static String authorize(String userToken, String client, String callback, String state) {
        return authorize(userToken, client, callback, state == null ? Map.of() : Map.of("state", state));
    }

    private static String authorize(String userToken, String client, String callback, Map<String, String> params) {
        String state = params.get("state");
        var request = as(userToken).redirects().follow(false).queryParam("client_id", client)
                .queryParam("redirect_uri", callback).queryParam("response_type", "code");
        params.forEach(request::queryParam);
        Response response = request.get(AUTHORIZE);
        assertEquals(302, response.statusCode(), response.asString());
        URI location = URI.create(response.header("Location"));
        assertEquals(callback, location.getPath());
        Map<String, String> query = new HashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        if (state != null) {
            assertEquals(state, query.get("state"));
        }
        return query.get("code");
    }

    private static Response exchange(String client, String secret, String code, String redirect) {
        return exchange(client, secret, code, redirect, null);
    }

    private static Response exchange(String client, String secret, String code, String redirect, String verifier) {
        var request = given().formParam("client_id", client).formParam("client_secret", secret)
                .formParam("grant_type", "authorization_code").formParam("code", code).formParam("redirect_uri", redirect);
        if (verifier != null) {
            request.formParam("code_verifier", verifier);
        }
        return request.post(TOKEN);
    }

    /** The server's API token, read from the environment the spawner gave its process. */
    private static String serverToken(String user) throws Exception {
        String pid = admin().get("/hub/api/users/" + user).then().extract().path("servers.''.state.pid");
        byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
        for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            if (entry.startsWith("JUPYTERHUB_API_TOKEN=")) {
                return entry.substring("JUPYTERHUB_API_TOKEN=".length());
            }
        }
        throw new AssertionError("no JUPYTERHUB_API_TOKEN in the server's environment");
    }
}
