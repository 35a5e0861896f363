package io.ganymede.proxy.forward;

import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.metrics.ProxyMetrics.ErrorKind;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Answers requests the proxy could not forward. With an error target it fetches
 * {@code {errorTarget}/{code}?url={request uri}} and relays that page under the original status,
 * as CHP does (JupyterHub passes {@code --error-target <hub>/hub/error}); otherwise a small built-in
 * page. (A response already under way is cut off by the caller instead, so the client never waits
 * on a hung stream.)
 */
final class ErrorPages {

    private static final System.Logger LOG = System.getLogger(ErrorPages.class.getName());
    private static final long ERROR_TARGET_TIMEOUT_MILLIS = 10_000;

    /** Only for the error target, created when there is one: the rare path may use Vert.x's client. */
    private final HttpClient client;
    private final String errorTarget;
    private final ProxyMetrics metrics;

    ErrorPages(Vertx vertx, String errorTarget, ProxyMetrics metrics) {
        this.errorTarget = errorTarget == null || errorTarget.isBlank() ? null
                : errorTarget.endsWith("/") ? errorTarget : errorTarget + "/";
        this.client = this.errorTarget == null ? null : vertx.createHttpClient();
        this.metrics = metrics;
    }

    void fail(PublicHandler front, int code, ErrorKind kind, Throwable cause) {
        metrics.error(kind);
        String uri = front.originalUri();
        LOG.log(code == 404 ? Level.DEBUG : Level.WARNING, "{0} {1} {2} {3}", code, front.method(),
                withoutQuery(uri), cause == null ? "" : cause.getMessage());
        metrics.response(code);
        if (errorTarget == null) {
            front.answer(builtIn(code));
            return;
        }
        String url = errorTarget + code + "?url=" + URLEncoder.encode(uri, StandardCharsets.UTF_8);
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                        .setTimeout(ERROR_TARGET_TIMEOUT_MILLIS))
                .compose(page -> page.send().compose(r -> r.body().map(body -> {
                    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(body.getBytes()));
                    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
                    copy(r.getHeader("Content-Type"), HttpHeaderNames.CONTENT_TYPE, response);
                    copy(r.getHeader("Content-Encoding"), HttpHeaderNames.CONTENT_ENCODING, response);
                    return response;
                })))
                .onComplete(page -> front.executor().execute(() -> {
                    if (page.succeeded()) {
                        front.answer(page.result());
                        return;
                    }
                    metrics.error(ErrorKind.ERROR_TARGET);
                    LOG.log(Level.WARNING, "error target {0} failed: {1}", errorTarget + code, page.cause().getMessage());
                    front.answer(builtIn(code));
                }));
    }

    /**
     * A request target fit for the log: the query goes, since it may carry a credential (an API
     * token as {@code ?token=}, an OAuth {@code code} on its way to a server's callback).
     */
    static String withoutQuery(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query) + "?...";
    }

    void close() {
        if (client != null) {
            client.close();
        }
    }

    private static void copy(String value, CharSequence name, FullHttpResponse response) {
        if (value != null) {
            response.headers().set(name, value);
        }
    }

    private static FullHttpResponse builtIn(int code) {
        String reason = switch (code) {
            case 404 -> "No route for this path";
            case 503 -> "The server behind this path is not answering";
            case 504 -> "The server behind this path took too long to answer";
            default -> "Proxy error";
        };
        FullHttpResponse page = ProxyAnswers.plain(HttpResponseStatus.valueOf(code),
                "<!DOCTYPE html><html><head><title>" + code + "</title></head><body><h1>" + code
                        + "</h1><p>" + reason + ".</p></body></html>\n");
        page.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        return page;
    }
}
