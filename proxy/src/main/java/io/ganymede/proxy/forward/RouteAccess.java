package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.AccessTokens;
import io.ganymede.proxy.routing.Route;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The gate in front of routes with an {@code access_url}: a request passes with a valid access
 * token cookie for that route; a browser without one is sent to the hub to get it, and a
 * WebSocket without one is refused.
 */
final class RouteAccess {

    private final AccessTokens tokens;

    RouteAccess(String sharedSecret) {
        this.tokens = sharedSecret == null || sharedSecret.isEmpty() ? null : new AccessTokens(sharedSecret);
    }

    boolean allowed(HttpServerRequest request, Route route) {
        if (tokens == null) {
            return false;
        }
        long now = System.currentTimeMillis() / 1000;
        String header = request.getHeader("Cookie");
        if (header == null) {
            return false;
        }
        // Several servers of one user may each have set a cookie of this name on nested paths, so
        // every cookie of that name is tried (a name-keyed cookie map would keep only one).
        for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header)) {
            if (cookie.name().equals(AccessTokens.COOKIE) && tokens.valid(cookie.value(), route.path(), now)) {
                return true;
            }
        }
        return false;
    }

    void refuse(HttpServerRequest request, Route route, boolean upgrade) {
        if (upgrade) {
            request.response().setStatusCode(403).end();
            return;
        }
        String next = URLEncoder.encode(request.uri(), StandardCharsets.UTF_8);
        String url = route.accessUrl() + (route.accessUrl().contains("?") ? "&" : "?") + "next=" + next;
        request.response().setStatusCode(302).putHeader("Location", url).putHeader("Cache-Control", "no-store").end();
    }
}
