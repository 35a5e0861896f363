package io.ganymede.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.proxy.ProxyFixture;
import io.ganymede.proxy.routing.AccessTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Apps without a login of their own are reachable only with the hub's access token for their route. */
class RouteAccessTest {

    private static final String ROUTE = "/user/alice/rstudio";
    private final AccessTokens tokens = new AccessTokens(ProxyFixture.TOKEN);
    private final long now = System.currentTimeMillis() / 1000;

    private static void protectedRoute(ProxyFixture fx) {
        int port = fx.backend(HttpForwardingTest::echo);
        fx.addRoute(ROUTE, "{\"target\": \"http://127.0.0.1:" + port + "\", \"rstudio\": true,"
                + " \"access_url\": \"/hub/open/alice/rstudio\"}");
    }

    private static HttpResponse<String> get(ProxyFixture fx, String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fx.publicUrl(path)));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return fx.send(request.build());
    }

    @Test
    void aBrowserWithoutTheTokenIsSentToTheHub() {
        try (ProxyFixture fx = new ProxyFixture()) {
            protectedRoute(fx);
            HttpResponse<String> response = get(fx, ROUTE + "/p/1?a=b", null);
            assertEquals(302, response.statusCode());
            assertEquals("/hub/open/alice/rstudio?next=%2Fuser%2Falice%2Frstudio%2Fp%2F1%3Fa%3Db",
                    response.headers().firstValue("Location").orElseThrow());
        }
    }

    @Test
    void onlyAValidTokenForThisRoutePasses() {
        try (ProxyFixture fx = new ProxyFixture()) {
            protectedRoute(fx);
            String valid = AccessTokens.COOKIE + "=" + tokens.issue(ROUTE, now + 60);
            assertEquals(200, get(fx, ROUTE + "/", valid).statusCode());
            assertEquals(200, get(fx, ROUTE + "/", "other=1; " + AccessTokens.COOKIE + "=junk; " + valid.substring(0)).statusCode());
            assertEquals(302, get(fx, ROUTE + "/", AccessTokens.COOKIE + "=" + tokens.issue("/user/bob/rstudio", now + 60)).statusCode());
            assertEquals(302, get(fx, ROUTE + "/", AccessTokens.COOKIE + "=" + tokens.issue(ROUTE, now - 1)).statusCode());
            String forged = new AccessTokens("another-secret").issue(ROUTE, now + 60);
            assertEquals(302, get(fx, ROUTE + "/", AccessTokens.COOKIE + "=" + forged).statusCode());
            String stretched = (now + 999_999) + tokens.issue(ROUTE, now + 60).substring(String.valueOf(now + 60).length());
            assertEquals(302, get(fx, ROUTE + "/", AccessTokens.COOKIE + "=" + stretched).statusCode());
        }
    }

    @Test
    void aWebSocketWithoutTheTokenIsRefused() {
        try (ProxyFixture fx = new ProxyFixture()) {
            protectedRoute(fx);
            CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> fx.http.newWebSocketBuilder().buildAsync(URI.create(fx.publicUrl(ROUTE + "/ws").replaceFirst("^http", "ws")),
                            new WebSocket.Listener() {}).join());
            assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException, refused.toString());
            assertEquals(403, ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void routesWithoutAnAccessUrlAreNotGated() {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(HttpForwardingTest::echo);
            fx.addRoute("/user/alice", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            assertEquals(200, get(fx, "/user/alice/tree", null).statusCode());
            assertFalse(tokens.valid("not-a-token", ROUTE, now));
        }
    }
}
