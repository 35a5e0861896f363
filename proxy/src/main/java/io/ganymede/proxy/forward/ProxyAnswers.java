package io.ganymede.proxy.forward;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The answers the proxy writes itself instead of a target's: health checks, malformed requests,
 * the slash a stripped prefix needs, 100 Continue, and the plain pages {@link ErrorPages} and
 * {@link RouteAccess} build on. Kept apart so that {@link PublicHandler} only decides when to send
 * them.
 */
final class ProxyAnswers {

    private static final byte[] HEALTHY = "{\"status\": \"OK\"}".getBytes(StandardCharsets.US_ASCII);

    private ProxyAnswers() {
    }

    /** CHP's health check path, and "/health"; both are answered before any routing. */
    static boolean isHealthCheck(String path) {
        return path.equals("/_chp_healthz") || path.equals("/health");
    }

    static FullHttpResponse healthy() {
        FullHttpResponse healthy = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(HEALTHY));
        healthy.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, HEALTHY.length);
        return healthy;
    }

    /**
     * The answer to a request head the codec could not read: 414 for a request line past the
     * limit, 431 for headers past it, else 400. In JupyterHub's JSON error shape, as the hub's own
     * errors are: the path, and so whether an API client asked, is unknown here.
     */
    static FullHttpResponse malformed(Throwable cause) {
        HttpResponseStatus status = !(cause instanceof TooLongFrameException) ? HttpResponseStatus.BAD_REQUEST
                // Netty's words for a request line, as opposed to a header, past its limit.
                : String.valueOf(cause.getMessage()).startsWith("An HTTP line is larger than")
                        ? HttpResponseStatus.REQUEST_URI_TOO_LONG : HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        return json(status, status.reasonPhrase());
    }

    /** The answer to a request whose Transfer-Encoding does not end with chunked: its body's end is unknown. */
    static FullHttpResponse unknownBodyEnd() {
        return json(HttpResponseStatus.BAD_REQUEST, "Transfer-Encoding must end with chunked");
    }

    /** JupyterHub's error body, {@code {"status": 400, "message": "..."}}. */
    static FullHttpResponse json(HttpResponseStatus status, String message) {
        FullHttpResponse response = plain(status, new JsonObject().put("status", status.code()).put("message", message).encode());
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    /**
     * Sends a browser at a stripped prefix without its trailing slash to "prefix/": relative links
     * only resolve under the prefix from there.
     */
    static FullHttpResponse addSlash(String path, String query) {
        FullHttpResponse moved = plain(HttpResponseStatus.MOVED_PERMANENTLY, "");
        moved.headers().set(HttpHeaderNames.LOCATION, path + "/" + (query == null ? "" : "?" + query));
        return moved;
    }

    /** The interim answer to "Expect: 100-continue", which the proxy gives instead of the target. */
    static FullHttpResponse continue100() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
    }

    static FullHttpResponse plain(HttpResponseStatus status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (bytes.length > 0) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        return response;
    }
}
