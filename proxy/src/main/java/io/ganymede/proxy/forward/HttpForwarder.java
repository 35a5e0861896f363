package io.ganymede.proxy.forward;

import io.ganymede.proxy.ProxyOptions;
import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.metrics.ProxyMetrics.ErrorKind;
import io.ganymede.proxy.routing.Route;
import io.ganymede.proxy.routing.Target;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.util.concurrent.TimeoutException;

/** Forwards plain HTTP requests, streaming both bodies over pooled keep-alive connections. */
final class HttpForwarder {

    private final HttpClient client;
    private final ProxyOptions options;
    private final ProxyMetrics metrics;
    private final ErrorPages errors;

    HttpForwarder(HttpClient client, ProxyOptions options, ProxyMetrics metrics, ErrorPages errors) {
        this.client = client;
        this.options = options;
        this.metrics = metrics;
        this.errors = errors;
    }

    static RequestOptions requestTo(Target target, HttpMethod method, String uri, ProxyOptions options) {
        return new RequestOptions()
                .setMethod(method)
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.uriFor(uri))
                .setConnectTimeout(options.connectTimeout().toMillis())
                .setIdleTimeout(options.idleTimeout().toMillis());
    }

    void forward(HttpServerRequest request, Route route, String uri) {
        request.pause();
        client.request(requestTo(route.target(), request.method(), uri, options)).onComplete(connected -> {
            if (connected.failed()) {
                errors.fail(request, 503, ErrorKind.CONNECT, connected.cause());
                return;
            }
            HttpClientRequest out = connected.result();
            HostAndPort authority = request.authority();
            if (authority != null) {
                out.authority(authority);
            }
            ProxyHeaders.toTarget(request, out.headers(), route, false, options.xForward());
            // Failures surface through the response future; this only keeps resets out of the log.
            out.exceptionHandler(ignored -> { });
            out.response().onComplete(answer -> relay(request, out, route, answer));
            request.response().closeHandler(gone -> out.reset());
            if (request.headers().contains("Content-Length")) {
                Pump.start(request, out, route, metrics.bytesFromClients(), end -> out.end());
            } else if (request.headers().contains("Transfer-Encoding")) {
                out.setChunked(true);
                Pump.start(request, out, route, metrics.bytesFromClients(), end -> out.end());
            } else {
                out.end();
                request.resume();
            }
            request.exceptionHandler(broken -> out.reset());
        });
    }

    /** Sends the target's answer (or a 503/504 if it has none) back to the client. */
    void relay(HttpServerRequest request, HttpClientRequest out, Route route, AsyncResult<HttpClientResponse> answer) {
        if (answer.failed()) {
            boolean timedOut = answer.cause() instanceof TimeoutException;
            errors.fail(request, timedOut ? 504 : 503, timedOut ? ErrorKind.TIMEOUT : ErrorKind.RESET, answer.cause());
            return;
        }
        HttpClientResponse in = answer.result();
        HttpServerResponse response = request.response();
        if (response.closed()) {
            out.reset();
            return;
        }
        route.touch();
        int status = in.statusCode();
        metrics.response(status);
        response.setStatusCode(status);
        response.setStatusMessage(in.statusMessage());
        ProxyHeaders.toClient(in.headers(), response.headers(), route, request, false);
        boolean noBody = request.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
        if (noBody) {
            response.end();
            return;
        }
        if (!response.headers().contains("Content-Length")) {
            response.setChunked(true);
        }
        in.exceptionHandler(broken -> response.reset());
        Pump.start(in, response, route, metrics.bytesFromTargets(), end -> response.end());
    }
}
