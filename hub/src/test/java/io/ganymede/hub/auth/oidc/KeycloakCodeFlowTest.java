package io.ganymede.hub.auth.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AccessPolicy;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Identity;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The whole authorization-code flow against a real Keycloak, driven through its login form. */
@Tag("keycloak")
class KeycloakCodeFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CALLBACK = "http://127.0.0.1:8000/hub/oauth_callback";

    private static KeycloakServer keycloak;
    private static Vertx vertx;
    private static WebClient client;

    @BeforeAll
    static void startKeycloak() throws Exception {
        keycloak = KeycloakServer.start(resource("/keycloak/ganymede-realm.json"));
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stopKeycloak() throws Exception {
        if (client != null) {
            client.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(KeycloakCodeFlowTest.class.getResource(name).toURI());
    }

    private static OidcCodeFlow flow(String usernameClaim, AccessPolicy policy) {
        return new OidcCodeFlow(new OidcSettings(keycloak.issuer("ganymede"), "ganymede-hub", "test-only-client-secret",
                CALLBACK, List.of("openid", "email", "profile"), usernameClaim, "groups",
                Duration.ofSeconds(30), Duration.ofMinutes(10), policy), client, Clock.systemUTC());
    }

    private static LoginResult signIn(OidcCodeFlow flow, String user, String password) throws Exception {
        LoginRedirect redirect = flow.begin("/hub/spawn").await().atMost(WAIT);
        URI callback = new LoginFormBrowser().signIn(redirect.location(), user, password);
        Map<String, String> query = LoginFormBrowser.query(callback);
        return flow.complete(query.get("state"), query.get("code"), query.get("error"), redirect.state())
                .await().atMost(WAIT);
    }

    @Test
    void signInGivesTheIdentityWithGroups() throws Exception {
        OidcCodeFlow flow = flow("email", AccessPolicy.OPEN);
        LoginRedirect redirect = flow.begin("/hub/spawn").await().atMost(WAIT);
        Map<String, String> asked = LoginFormBrowser.query(redirect.location());
        assertEquals("S256", asked.get("code_challenge_method"));
        assertEquals(redirect.state(), asked.get("state"));
        assertEquals(CALLBACK, asked.get("redirect_uri"));

        URI callback = new LoginFormBrowser().signIn(redirect.location(), "alice", "alice-test-password");
        assertTrue(callback.toString().startsWith(CALLBACK + "?"), callback.toString());
        Map<String, String> query = LoginFormBrowser.query(callback);
        LoginResult result = flow.complete(query.get("state"), query.get("code"), query.get("error"), redirect.state())
                .await().atMost(WAIT);

        assertEquals(new Identity("alice.smith@example.com", "alice.smith@example.com",
                Set.of("data-science", "gpu-users"), Identity.Source.OIDC), result.identity());
        assertEquals("/hub/spawn", result.next());
        assertNotNull(result.idToken());
    }

    @Test
    void usernameCanComeFromAnotherClaim() throws Exception {
        LoginResult result = signIn(flow("preferred_username", AccessPolicy.OPEN), "alice", "alice-test-password");
        assertEquals("alice", result.identity().username());
        assertEquals("alice.smith@example.com", result.identity().email());
    }

    @Test
    void codeStolenIntoAnotherLoginIsRefusedByPkce() throws Exception {
        OidcCodeFlow flow = flow("email", AccessPolicy.OPEN);
        LoginRedirect victim = flow.begin(null).await().atMost(WAIT);
        LoginRedirect attacker = flow.begin(null).await().atMost(WAIT);
        URI callback = new LoginFormBrowser().signIn(victim.location(), "alice", "alice-test-password");
        String code = LoginFormBrowser.query(callback).get("code");
        // The code reaches a login whose PKCE verifier and nonce belong to someone else.
        assertThrows(AuthenticationFailedException.class,
                () -> flow.complete(attacker.state(), code, null, attacker.state()).await().atMost(WAIT));
    }

    @Test
    void unverifiedEmailIsRefused() {
        assertThrows(AccessDeniedException.class,
                () -> signIn(flow("email", AccessPolicy.OPEN), "mallory", "mallory-test-password"));
    }

    @Test
    void allowListsApply() throws Exception {
        AccessPolicy financeOnly = new AccessPolicy(Set.of(), Set.of(), Set.of("finance"));
        assertThrows(AccessDeniedException.class, () -> signIn(flow("email", financeOnly), "alice", "alice-test-password"));
        AccessPolicy gpuUsers = new AccessPolicy(Set.of("example.com"), Set.of(), Set.of("gpu-users"));
        assertEquals("alice.smith@example.com",
                signIn(flow("email", gpuUsers), "alice", "alice-test-password").identity().username());
    }

    @Test
    void logoutUrlEndsTheProviderSession() throws Exception {
        OidcCodeFlow flow = flow("email", AccessPolicy.OPEN);
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        LoginFormBrowser browser = new LoginFormBrowser();
        Map<String, String> query = LoginFormBrowser.query(
                browser.signIn(redirect.location(), "alice", "alice-test-password"));
        LoginResult result = flow.complete(query.get("state"), query.get("code"), null, redirect.state())
                .await().atMost(WAIT);

        String loggedOut = "http://127.0.0.1:8000/hub/logged-out";
        Optional<URI> logout = flow.logoutUrl(result.idToken(), loggedOut).await().atMost(WAIT);
        assertTrue(logout.isPresent());
        assertTrue(logout.get().toString().startsWith(keycloak.issuer("ganymede") + "/protocol/openid-connect/logout?"));
        HttpResponse<String> response = browser.get(logout.get());
        assertEquals(URI.create(loggedOut), LoginFormBrowser.redirectTarget(response));

        // Signed out at Keycloak: the same browser is asked for its password again.
        LoginRedirect again = flow.begin(null).await().atMost(WAIT);
        assertEquals(200, browser.get(again.location()).statusCode());
    }
}
