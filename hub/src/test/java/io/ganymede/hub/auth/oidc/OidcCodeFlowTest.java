package io.ganymede.hub.auth.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.auth.AccessPolicy;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Identity;
import io.ganymede.hub.auth.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The code flow's own checks, against a scripted provider on loopback. */
class OidcCodeFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CLIENT = "hub-client";
    private static final String SECRET = "s3cret:with&odd=chars";
    private static final String CALLBACK = "http://127.0.0.1:8000/hub/oauth_callback";

    private static Vertx vertx;
    private static WebClient client;

    private FakeOidcProvider provider;
    private MutableClock clock;
    private OidcCodeFlow flow;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stopVertx() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void setUp() throws Exception {
        provider = new FakeOidcProvider();
        clock = new MutableClock(Instant.now());
        flow = flow(SECRET);
    }

    @AfterEach
    void tearDown() {
        provider.close();
    }

    private OidcCodeFlow flow(String secret) {
        return new OidcCodeFlow(new OidcSettings(provider.issuer(), CLIENT, secret, CALLBACK, List.of("email", "profile"),
                "email", "groups", Duration.ofSeconds(30), Duration.ofMinutes(10), AccessPolicy.OPEN), client, clock);
    }

    /** Makes the token endpoint answer with an ID token carrying the nonce of {@code redirect}. */
    private void answerWithIdTokenFor(LoginRedirect redirect) throws Exception {
        String nonce = LoginFormBrowser.query(redirect.location()).get("nonce");
        String idToken = provider.sign(provider.claims(CLIENT, nonce));
        provider.tokenAnswer = form -> Map.entry(200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\"" + idToken + "\"}");
    }

    private LoginResult complete(LoginRedirect redirect, String code) {
        return flow.complete(redirect.state(), code, null, redirect.state()).await().atMost(WAIT);
    }

    @Test
    void authorizationUrlCarriesStateNonceAndPkce() {
        LoginRedirect redirect = flow.begin("/hub/home").await().atMost(WAIT);
        assertTrue(redirect.location().toString().startsWith(provider.issuer() + "/authorize?"));
        Map<String, String> query = LoginFormBrowser.query(redirect.location());
        assertEquals("code", query.get("response_type"));
        assertEquals(CLIENT, query.get("client_id"));
        assertEquals(CALLBACK, query.get("redirect_uri"));
        assertEquals("openid email profile", query.get("scope"));
        assertEquals(redirect.state(), query.get("state"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertTrue(query.get("nonce").length() >= 43);
        assertTrue(query.get("code_challenge").length() == 43);
    }

    @Test
    void eachLoginHasItsOwnStateAndNonce() {
        Map<String, String> first = LoginFormBrowser.query(flow.begin(null).await().atMost(WAIT).location());
        Map<String, String> second = LoginFormBrowser.query(flow.begin(null).await().atMost(WAIT).location());
        assertTrue(!first.get("state").equals(second.get("state")));
        assertTrue(!first.get("nonce").equals(second.get("nonce")));
        assertTrue(!first.get("code_challenge").equals(second.get("code_challenge")));
        assertEquals(1, provider.discoveries.get(), "discovery is read once");
    }

    @Test
    void callbackExchangesTheCodeWithTheVerifierAndClientCredentials() throws Exception {
        LoginRedirect redirect = flow.begin("/hub/spawn").await().atMost(WAIT);
        answerWithIdTokenFor(redirect);
        LoginResult result = complete(redirect, "the-code");

        assertEquals(new Identity("dana@example.com", "dana@example.com", Set.of("data-science"), Identity.Source.OIDC),
                result.identity());
        assertEquals("/hub/spawn", result.next());
        Map<String, String> form = provider.lastTokenForm;
        assertEquals("authorization_code", form.get("grant_type"));
        assertEquals("the-code", form.get("code"));
        assertEquals(CALLBACK, form.get("redirect_uri"));
        String challenge = LoginFormBrowser.query(redirect.location()).get("code_challenge");
        assertEquals(challenge, io.ganymede.hub.oauth.Pkce.s256(form.get("code_verifier")));
        String basic = new String(Base64.getDecoder().decode(provider.lastAuthorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        assertEquals("hub-client:s3cret%3Awith%26odd%3Dchars", basic);
    }

    @Test
    void publicClientSendsItsIdInTheForm() throws Exception {
        flow = flow(null);
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        answerWithIdTokenFor(redirect);
        complete(redirect, "c");
        assertNull(provider.lastAuthorization);
        assertEquals(CLIENT, provider.lastTokenForm.get("client_id"));
    }

    @Test
    void stateMustMatchTheBrowsersCookie() throws Exception {
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        answerWithIdTokenFor(redirect);
        assertThrows(AuthenticationFailedException.class,
                () -> flow.complete(redirect.state(), "c", null, null).await().atMost(WAIT));
        assertThrows(AuthenticationFailedException.class,
                () -> flow.complete(redirect.state(), "c", null, "other").await().atMost(WAIT));
        assertEquals(0, provider.tokenRequests.get());
        assertEquals("dana@example.com", complete(redirect, "c").identity().username(), "a mismatch does not spend the login");
    }

    @Test
    void unknownStateIsRefused() {
        assertThrows(AuthenticationFailedException.class,
                () -> flow.complete("made-up", "c", null, "made-up").await().atMost(WAIT));
    }

    @Test
    void stateCannotBeReplayed() throws Exception {
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        answerWithIdTokenFor(redirect);
        complete(redirect, "c");
        assertThrows(AuthenticationFailedException.class, () -> complete(redirect, "c"));
        assertEquals(1, provider.tokenRequests.get());
    }

    @Test
    void expiredLoginIsRefused() throws Exception {
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        answerWithIdTokenFor(redirect);
        clock.advance(Duration.ofMinutes(11));
        assertThrows(AuthenticationFailedException.class, () -> complete(redirect, "c"));
        assertEquals(0, provider.tokenRequests.get());
    }

    @Test
    void providerErrorIsAFailure() {
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        assertThrows(AuthenticationFailedException.class,
                () -> flow.complete(redirect.state(), null, "access_denied", redirect.state()).await().atMost(WAIT));
    }

    @Test
    void missingCodeIsAFailure() {
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        assertThrows(AuthenticationFailedException.class, () -> complete(redirect, ""));
    }

    @Test
    void refusedCodeIsAFailure() {
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        assertThrows(AuthenticationFailedException.class, () -> complete(redirect, "bad"));
        assertEquals(1, provider.tokenRequests.get());
    }

    @Test
    void responseWithoutIdTokenIsAFailure() {
        LoginRedirect redirect = flow.begin(null).await().atMost(WAIT);
        provider.tokenAnswer = form -> Map.entry(200, "{\"access_token\":\"at\"}");
        assertThrows(AuthenticationFailedException.class, () -> complete(redirect, "c"));
    }

    @Test
    void idTokenForAnotherLoginIsRefused() throws Exception {
        LoginRedirect mine = flow.begin(null).await().atMost(WAIT);
        LoginRedirect other = flow.begin(null).await().atMost(WAIT);
        answerWithIdTokenFor(other);
        assertThrows(AuthenticationFailedException.class, () -> complete(mine, "c"));
    }

    @Test
    void discoveryNamingAnotherIssuerIsRefused() {
        provider.discoveredIssuer = "https://evil.example.com";
        assertThrows(AuthenticationFailedException.class, () -> flow.begin(null).await().atMost(WAIT));
    }

    @Test
    void failedDiscoveryIsRetried() {
        provider.discoveryStatus = 503;
        assertThrows(AuthenticationFailedException.class, () -> flow.begin(null).await().atMost(WAIT));
        provider.discoveryStatus = 200;
        flow.begin(null).await().atMost(WAIT);
        assertEquals(2, provider.discoveries.get());
    }

    @Test
    void logoutUrlNamesTheClientTheHintAndTheReturnAddress() {
        URI logout = flow.logoutUrl("id.token.value", "http://127.0.0.1:8000/hub/").await().atMost(WAIT).orElseThrow();
        assertTrue(logout.toString().startsWith(provider.issuer() + "/logout?"));
        Map<String, String> query = LoginFormBrowser.query(logout);
        assertEquals(CLIENT, query.get("client_id"));
        assertEquals("id.token.value", query.get("id_token_hint"));
        assertEquals("http://127.0.0.1:8000/hub/", query.get("post_logout_redirect_uri"));
    }

    @Test
    void providerWithoutEndSessionHasNoLogoutUrl() {
        provider.endSession = false;
        assertEquals(Optional.empty(), flow.logoutUrl(null, null).await().atMost(WAIT));
    }

    @Test
    void pkceChallengeIsUnpaddedBase64UrlOfSha256() {
        // Expected value computed with Python's hashlib and base64.urlsafe_b64encode.
        assertEquals("bS4gnTnMG9X9daLB6V5JmEDNuyFYy1snbxlm68oDOo0",
                io.ganymede.hub.oauth.Pkce.s256("dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW-gFWFOEjXk"));
    }
}
