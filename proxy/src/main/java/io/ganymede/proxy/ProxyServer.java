package io.ganymede.proxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ganymede.proxy.api.RoutesApi;
import io.ganymede.proxy.forward.PublicServer;
import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.routing.RouteTable;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running proxy: the public server (Netty, on every event loop of the Vert.x instance) and the
 * REST API server (Vert.x), over one routing table. Works on any Vert.x instance, including the hub's own.
 */
public final class ProxyServer {

    private final Vertx vertx;
    private final RouteTable routes;
    private final ProxyMetrics metrics;
    private final AtomicInteger publicPort = new AtomicInteger();
    private final AtomicInteger apiPort = new AtomicInteger();
    private volatile PublicServer publicServer;
    private volatile String apiDeployment;

    private ProxyServer(Vertx vertx, RouteTable routes, ProxyMetrics metrics) {
        this.vertx = vertx;
        this.routes = routes;
        this.metrics = metrics;
    }

    /** Binds both ports and completes once they accept connections. */
    public static Future<ProxyServer> start(Vertx vertx, ProxyOptions options) {
        RouteTable routes = new RouteTable();
        if (options.defaultTarget() != null && !options.defaultTarget().isBlank()) {
            routes.add("/", JsonNodeFactory.instance.objectNode().put("target", options.defaultTarget()));
        }
        ProxyServer server = new ProxyServer(vertx, routes, new ProxyMetrics());
        return server.deploy(options).map(server);
    }

    private Future<Void> deploy(ProxyOptions options) {
        return PublicServer.bind(vertx, options, routes, metrics).compose(server -> {
            publicServer = server;
            publicPort.set(server.port());
            return vertx.deployVerticle(new ApiVerticle(options, routes, metrics, apiPort));
        }).<Void>map(id -> {
            apiDeployment = id;
            return null;
        }).recover(failure -> close().transform(ignored -> Future.failedFuture(failure)));
    }

    public RouteTable routes() {
        return routes;
    }

    /** The bound public port, also when the options asked for 0. */
    public int publicPort() {
        return publicPort.get();
    }

    /** The bound REST API port, also when the options asked for 0. */
    public int apiPort() {
        return apiPort.get();
    }

    /** Stops accepting, closes both servers and the connections to targets. */
    public Future<Void> close() {
        Future<Void> api = apiDeployment == null ? Future.succeededFuture() : vertx.undeploy(apiDeployment);
        return api.transform(a -> publicServer == null ? Future.succeededFuture() : publicServer.close());
    }

    private static final class ApiVerticle extends AbstractVerticle {
        private final ProxyOptions options;
        private final RouteTable routes;
        private final ProxyMetrics metrics;
        private final AtomicInteger boundPort;

        ApiVerticle(ProxyOptions options, RouteTable routes, ProxyMetrics metrics, AtomicInteger boundPort) {
            this.options = options;
            this.routes = routes;
            this.metrics = metrics;
            this.boundPort = boundPort;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(new HttpServerOptions().setHost(ProxyOptions.bindAddress(options.apiIp())).setPort(options.apiPort()))
                    .requestHandler(new RoutesApi(routes, metrics, options.authToken()))
                    .listen()
                    .onSuccess(s -> boundPort.set(s.actualPort()))
                    .<Void>mapEmpty()
                    .onComplete(started);
        }
    }
}
