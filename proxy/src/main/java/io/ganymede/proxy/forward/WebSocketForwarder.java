package io.ganymede.proxy.forward;

import io.ganymede.proxy.ProxyOptions;
import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.metrics.ProxyMetrics.ErrorKind;
import io.ganymede.proxy.routing.Route;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.Http1xClientConnection;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeoutException;

/**
 * Forwards WebSocket upgrades as a tunnel: the handshake goes to the target unchanged (so
 * subprotocols and extensions are negotiated end to end), then the two sockets are spliced by a
 * {@link Relay} in each direction and frames pass through as bytes, with back-pressure, never decoded.
 */
final class WebSocketForwarder {

    private final HttpClient client;
    private final ProxyOptions options;
    private final ProxyMetrics metrics;
    private final ErrorPages errors;
    private final HttpForwarder http;

    WebSocketForwarder(HttpClient client, ProxyOptions options, ProxyMetrics metrics, ErrorPages errors,
                       HttpForwarder http) {
        this.client = client;
        this.options = options;
        this.metrics = metrics;
        this.errors = errors;
        this.http = http;
    }

    void forward(HttpServerRequest request, Route route, String uri) {
        request.pause();
        client.request(HttpForwarder.requestTo(route.target(), request.method(), uri, options)).onComplete(connected -> {
            if (connected.failed()) {
                errors.fail(request, 503, ErrorKind.CONNECT, connected.cause());
                return;
            }
            HttpClientRequest out = connected.result();
            HostAndPort authority = request.authority();
            if (authority != null) {
                out.authority(authority);
            }
            ProxyHeaders.toTarget(request, out.headers(), route, true, options.xForward());
            out.exceptionHandler(ignored -> { });
            request.response().closeHandler(gone -> out.reset());
            out.connect().onComplete(answer -> {
                if (answer.failed()) {
                    boolean timedOut = answer.cause() instanceof TimeoutException;
                    errors.fail(request, timedOut ? 504 : 503, timedOut ? ErrorKind.TIMEOUT : ErrorKind.RESET,
                            answer.cause());
                } else if (answer.result().statusCode() != 101) {
                    http.relay(request, out, route, answer);
                } else {
                    splice(request, out, route, answer.result());
                }
            });
        });
    }

    private void splice(HttpServerRequest request, HttpClientRequest out, Route route, HttpClientResponse answer) {
        NetSocket target = targetSocket(out, answer);
        // Hold what the target sends right after the handshake until the client side is ready.
        target.pause();
        HttpServerResponse response = request.response();
        response.setStatusCode(101);
        ProxyHeaders.toClient(answer.headers(), response.headers(), route, request, true);
        metrics.response(101);
        route.touch();
        request.toNetSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                target.close();
                return;
            }
            NetSocket client = upgraded.result();
            metrics.webSocketOpened();
            client.closeHandler(closed -> {
                metrics.webSocketClosed();
                target.close();
            });
            target.closeHandler(closed -> client.close());
            client.exceptionHandler(broken -> client.close());
            target.exceptionHandler(broken -> target.close());
            if (!Relay.splice(request.connection(), client, out.connection(), target, route,
                    metrics.bytesFromClients(), metrics.bytesFromTargets())) {
                Pump.start(client, target, route, metrics.bytesFromClients(), end -> target.close());
                Pump.start(target, client, route, metrics.bytesFromTargets(), end -> client.close());
            }
        });
    }

    /**
     * The target's side of the tunnel as a plain socket taken out of the connection pool, so an
     * open WebSocket holds no pool slot (Vert.x's own {@code netSocket()} of a 101 answer keeps the
     * connection leased for the tunnel's whole life). Bytes the target sent right behind its 101
     * reach the new socket. Vert.x does this for CONNECT through the same internal call.
     */
    private static NetSocket targetSocket(HttpClientRequest out, HttpClientResponse answer) {
        if (out.connection() instanceof Http1xClientConnection connection) {
            return connection.toNetSocket();
        }
        return answer.netSocket();
    }
}
