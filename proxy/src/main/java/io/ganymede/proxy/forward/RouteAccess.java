package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.AccessTokens;
import io.ganymede.proxy.routing.Route;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
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

    boolean allowed(HttpHeaders headers, Route route) {
        if (tokens == null) {
            return false;
        }
        long now = System.currentTimeMillis() / 1000;
        String header = headers.get(HttpHeaderNames.COOKIE);
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

    /** The answer to a request without a valid token, for its original URI. */
    FullHttpResponse refusal(String uri, Route route, boolean upgrade) {
        if (upgrade) {
            return ProxyAnswers.plain(HttpResponseStatus.FORBIDDEN, "");
        }
        String next = URLEncoder.encode(uri, StandardCharsets.UTF_8);
        String url = route.accessUrl() + (route.accessUrl().contains("?") ? "&" : "?") + "next=" + next;
        FullHttpResponse redirect = ProxyAnswers.plain(HttpResponseStatus.FOUND, "");
        redirect.headers().set(HttpHeaderNames.LOCATION, url).set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return redirect;
    }
}
