package io.ganymede.proxy.forward;

import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.metrics.ProxyMetrics.ErrorKind;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Answers requests the proxy could not forward. With an error target it fetches
 * {@code {errorTarget}/{code}?url={request uri}} and relays that page under the original status,
 * as CHP does (JupyterHub passes {@code --error-target <hub>/hub/error}); otherwise a small built-in
 * page. A response already under way is cut off instead, so the client never waits on a hung stream.
 */
public final class ErrorPages {

    private static final System.Logger LOG = System.getLogger(ErrorPages.class.getName());
    private static final long ERROR_TARGET_TIMEOUT_MILLIS = 10_000;

    private final HttpClient client;
    private final String errorTarget;
    private final ProxyMetrics metrics;

    public ErrorPages(HttpClient client, String errorTarget, ProxyMetrics metrics) {
        this.client = client;
        this.errorTarget = errorTarget == null || errorTarget.isBlank() ? null
                : errorTarget.endsWith("/") ? errorTarget : errorTarget + "/";
        this.metrics = metrics;
    }

    public void fail(HttpServerRequest request, int code, ErrorKind kind, Throwable cause) {
        metrics.error(kind);
        LOG.log(code == 404 ? Level.DEBUG : Level.WARNING, "{0} {1} {2} {3}", code, request.method(),
                request.path(), cause == null ? "" : cause.getMessage());
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        if (!request.isEnded()) {
            request.resume();
        }
        metrics.response(code);
        if (errorTarget == null) {
            builtIn(response, code);
            return;
        }
        String url = errorTarget + code + "?url=" + URLEncoder.encode(request.uri(), StandardCharsets.UTF_8);
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                        .setTimeout(ERROR_TARGET_TIMEOUT_MILLIS))
                .compose(page -> page.send().compose(r -> r.body().map(body -> {
                    if (!response.ended() && !response.closed()) {
                        copy(r.getHeader("Content-Type"), "Content-Type", response);
                        copy(r.getHeader("Content-Encoding"), "Content-Encoding", response);
                        response.setStatusCode(code).end(body);
                    }
                    return null;
                })))
                .onFailure(e -> {
                    metrics.error(ErrorKind.ERROR_TARGET);
                    LOG.log(Level.WARNING, "error target {0} failed: {1}", url, e.getMessage());
                    if (!response.ended() && !response.closed()) {
                        builtIn(response, code);
                    }
                });
    }

    private static void copy(String value, String name, HttpServerResponse response) {
        if (value != null) {
            response.putHeader(name, value);
        }
    }

    private static void builtIn(HttpServerResponse response, int code) {
        String reason = switch (code) {
            case 404 -> "No route for this path";
            case 503 -> "The server behind this path is not answering";
            case 504 -> "The server behind this path took too long to answer";
            default -> "Proxy error";
        };
        response.setStatusCode(code)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<!DOCTYPE html><html><head><title>" + code + "</title></head><body><h1>" + code
                        + "</h1><p>" + reason + ".</p></body></html>\n");
    }
}
