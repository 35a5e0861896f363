package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An answer's head as the client gets it: the target's headers edited, how the body is framed on
 * the client's connection, and whether that connection stays open. The counterpart of
 * {@link TargetRequest}, edited in place the same way.
 */
final class ClientResponse {

    private ClientResponse() {
    }

    /** Readies a target's answer to {@code request}; the client's connection stays open if {@code keepAlive}. */
    static void prepare(HttpResponse response, Route route, HttpRequest request, boolean keepAlive, boolean http10) {
        int framing = ProxyHeaders.toClient(response, route, request, false);
        int status = response.status().code();
        boolean noBody = request.method() == HttpMethod.HEAD || status == 204 || status == 304;
        if (!noBody && framing == 0) {
            // delimited by the target closing: chunked for the client, whose connection stays open
            response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        persistence(response, keepAlive, http10);
    }

    /** Readies the target's 101 to a WebSocket upgrade; the connection becomes the tunnel. */
    static void prepareUpgrade(HttpResponse response, Route route, HttpRequest request) {
        ProxyHeaders.toClient(response, route, request, true);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** The client connection's fate, as HTTP/1.1 keep-alive rules and the client's request say. */
    static void persistence(HttpResponse response, boolean keepAlive, boolean http10) {
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}
