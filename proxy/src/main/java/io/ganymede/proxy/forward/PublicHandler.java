package io.ganymede.proxy.forward;

import io.ganymede.proxy.ProxyOptions;
import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.metrics.ProxyMetrics.ErrorKind;
import io.ganymede.proxy.routing.Route;
import io.ganymede.proxy.routing.RoutePath;
import io.ganymede.proxy.routing.RouteTable;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/** Everything that arrives on the public port: health checks, then routing to a forwarder. */
public final class PublicHandler implements Handler<HttpServerRequest> {

    private static final String HEALTHY = "{\"status\": \"OK\"}";

    private final RouteTable routes;
    private final ProxyMetrics metrics;
    private final ErrorPages errors;
    private final HttpForwarder http;
    private final WebSocketForwarder webSockets;
    private final RouteAccess access;

    /**
     * One per event loop, with that loop's own clients so target connections stay on its thread:
     * {@code client} pools keep-alive HTTP connections, {@code upgrades} opens WebSocket tunnels.
     */
    public PublicHandler(RouteTable routes, HttpClient client, HttpClient upgrades, ProxyOptions options,
                         ProxyMetrics metrics) {
        this.routes = routes;
        this.metrics = metrics;
        this.errors = new ErrorPages(client, options.errorTarget(), metrics);
        this.http = new HttpForwarder(client, options, metrics, errors);
        this.webSockets = new WebSocketForwarder(upgrades, options, metrics, errors, http);
        this.access = new RouteAccess(options.authToken());
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/_chp_healthz") || path.equals("/health")) {
            request.response().putHeader("Content-Type", "application/json").end(HEALTHY);
            return;
        }
        boolean upgrade = request.method() == HttpMethod.GET && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        if (upgrade) {
            metrics.webSocketUpgrade();
        } else {
            metrics.httpRequest();
        }
        Route route = routes.match(RoutePath.decode(path));
        if (route == null) {
            errors.fail(request, 404, ErrorKind.NO_ROUTE, null);
            return;
        }
        if (route.accessUrl() != null && !access.allowed(request, route)) {
            access.refuse(request, route, upgrade);
            metrics.response(upgrade ? 403 : 302);
            return;
        }
        String query = request.query();
        String forwardedPath = path;
        if (route.stripPrefix() && route.segmentCount() > 0) {
            forwardedPath = RoutePath.afterSegments(path, route.segmentCount());
            if (forwardedPath.equals("/") && !path.endsWith("/")) {
                // Relative links only resolve under the prefix if the browser is at "prefix/".
                request.response().setStatusCode(301)
                        .putHeader("Location", path + "/" + (query == null ? "" : "?" + query)).end();
                metrics.response(301);
                return;
            }
        }
        String uri = query == null ? forwardedPath : forwardedPath + "?" + query;
        if (upgrade) {
            webSockets.forward(request, route, uri);
        } else {
            http.forward(request, route, uri);
        }
    }
}
