package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.AccessTokens;
import io.ganymede.proxy.routing.Route;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The gate in front of routes with an {@code access_url}: a request passes with a valid access
 * token cookie for that route; a browser without one is sent to the hub to get it, and a
 * WebSocket without one is refused. A request with an API token instead (pipelines) passes if
 * the hub, asked at the route's {@code access_check_url}, says that token may use the route.
 */
final class RouteAccess {

    private final AccessTokens tokens;
    private final TokenChecks checks;

    RouteAccess(String sharedSecret, TokenChecks checks) {
        this.tokens = sharedSecret == null || sharedSecret.isEmpty() ? null : new AccessTokens(sharedSecret);
        this.checks = checks;
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

    /**
     * The API token of {@code Authorization: token <t>} or {@code Bearer <t>}, as the hub reads
     * it, or null.
     */
    static String apiToken(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        int space = authorization == null ? -1 : authorization.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        String scheme = authorization.substring(0, space);
        String token = authorization.substring(space + 1).trim();
        return (scheme.equalsIgnoreCase("token") || scheme.equalsIgnoreCase("bearer")) && !token.isEmpty() ? token : null;
    }

    /** Whether the hub lets {@code token} use {@code route}; routes without a check URL take no tokens. */
    Future<TokenChecks.Verdict> check(String token, Route route) {
        if (route.accessCheckUrl() == null) {
            return Future.succeededFuture(new TokenChecks.Verdict(403, "API tokens are not accepted on " + route.path() + "/"));
        }
        return checks.check(token, route);
    }

    /** The proxy's answer to a token the check did not pass: JupyterHub's JSON error, never a redirect. */
    static FullHttpResponse refusal(TokenChecks.Verdict verdict) {
        FullHttpResponse refused = ProxyAnswers.json(HttpResponseStatus.valueOf(verdict.status()), verdict.message());
        refused.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return refused;
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
