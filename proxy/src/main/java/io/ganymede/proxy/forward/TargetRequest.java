package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The client's request head made into the one its target gets: which path it asks for, and in
 * how many messages it goes. The head is edited in place; only a request without a body gets a
 * new message, so that head and end leave in one write.
 */
final class TargetRequest {

    private TargetRequest() {
    }

    /**
     * The path and query of a request-target; absolute-form ("http://host/path"), which proxies
     * must accept, keeps only those.
     */
    static String originForm(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : uri.substring(slash);
    }

    /**
     * Readies {@code head} for the target of {@code route}, at {@code path} (already without a
     * stripped prefix) and {@code query}. Returns the message to write: the head itself, its body
     * to follow, or for a request without a body a {@link io.netty.handler.codec.http.FullHttpRequest}
     * that includes its end (the codec's empty end is then dropped).
     */
    static HttpRequest of(HttpRequest head, Route route, String path, String query, boolean upgrade,
            String remoteAddress, boolean xForward) {
        int framing = ProxyHeaders.toTarget(head, route, upgrade, remoteAddress, xForward);
        String uri = route.target().uriFor(query == null ? path : path + "?" + query);
        if (framing == 0) {
            return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, head.method(), uri,
                    Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
        }
        head.setUri(uri);
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        return head;
    }
}
