package io.ganymede.proxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ganymede.proxy.api.RoutesApi;
import io.ganymede.proxy.forward.PublicHandler;
import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.routing.RouteTable;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running proxy: the public server (one instance per event loop, sharing the port) and the REST
 * API server, over one routing table. Works on any Vert.x instance, including the hub's own.
 */
public final class ProxyServer {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Keep-alive connections per target and event loop for plain HTTP. */
    private static final int POOL_SIZE_PER_TARGET = 512;
    /**
     * WebSocket handshakes in flight per target and event loop. An open tunnel leaves the pool once
     * upgraded, so this bounds only handshakes. Vert.x allocates a pool's slots up front, per target
     * and event loop: a bound in the millions cost 4 MiB of heap for each target.
     */
    private static final int UPGRADES_PER_TARGET = 512;

    private final Vertx vertx;
    private final RouteTable routes;
    private final ProxyMetrics metrics;
    private final AtomicInteger publicPort = new AtomicInteger();
    private final AtomicInteger apiPort = new AtomicInteger();
    private volatile String publicDeployment;
    private volatile String apiDeployment;

    private ProxyServer(Vertx vertx, RouteTable routes, ProxyMetrics metrics) {
        this.vertx = vertx;
        this.routes = routes;
        this.metrics = metrics;
    }

    /**
     * Binds both ports and completes once they accept connections. The caller's JVM must have
     * {@code vertx.disableWebsockets=false} (Quarkus sets it to true) for upgrades to pass.
     */
    public static Future<ProxyServer> start(Vertx vertx, ProxyOptions options) {
        RouteTable routes = new RouteTable();
        if (options.defaultTarget() != null && !options.defaultTarget().isBlank()) {
            routes.add("/", JsonNodeFactory.instance.objectNode().put("target", options.defaultTarget()));
        }
        ProxyServer server = new ProxyServer(vertx, routes, new ProxyMetrics());
        return server.deploy(options).map(server);
    }

    private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_KEYS =
            new java.util.concurrent.atomic.AtomicInteger(-1000);

    private Future<Void> deploy(ProxyOptions options) {
        int instances = options.eventLoops() > 0 ? options.eventLoops() : Runtime.getRuntime().availableProcessors();
        // Vert.x shares a port among instances only when it is fixed, or negative for "one random port".
        // Servers in one Vert.x that use the same negative number share that random port, so each
        // proxy takes its own number: embedded in Quarkus, -1 would be the hub's own random port.
        int port = options.port() == 0 ? RANDOM_PORT_KEYS.decrementAndGet() : options.port();
        Future<String> publicServers = vertx.deployVerticle(
                () -> new PublicVerticle(options, port, routes, metrics, publicPort),
                new DeploymentOptions().setInstances(instances));
        return publicServers.compose(id -> {
            publicDeployment = id;
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
        return api.transform(a -> publicDeployment == null ? Future.succeededFuture() : vertx.undeploy(publicDeployment));
    }

    private static String bindAddress(String ip) {
        return ip == null || ip.isEmpty() || ip.equals("*") ? "0.0.0.0" : ip;
    }

    private static final class PublicVerticle extends AbstractVerticle {
        private final ProxyOptions options;
        private final int port;
        private final RouteTable routes;
        private final ProxyMetrics metrics;
        private final AtomicInteger boundPort;

        PublicVerticle(ProxyOptions options, int port, RouteTable routes, ProxyMetrics metrics, AtomicInteger boundPort) {
            this.options = options;
            this.port = port;
            this.routes = routes;
            this.metrics = metrics;
            this.boundPort = boundPort;
        }

        @Override
        public void start(Promise<Void> started) {
            HttpClient client = vertx.httpClientBuilder()
                    .with(clientOptions(options).setKeepAlive(true)
                            .setKeepAliveTimeout((int) Math.max(1, options.keepAliveTimeout().toSeconds())))
                    .with(new PoolOptions().setHttp1MaxSize(POOL_SIZE_PER_TARGET))
                    .build();
            HttpClient upgrades = vertx.httpClientBuilder()
                    // keep-alive off would send "Connection: close" and spoil the upgrade
                    .with(clientOptions(options).setKeepAlive(true))
                    .with(new PoolOptions().setHttp1MaxSize(UPGRADES_PER_TARGET))
                    .build();
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                    .setHost(bindAddress(options.ip()))
                    .setPort(port)
                    .setMaxHeaderSize(MAX_HEADER_BYTES)
                    .setMaxInitialLineLength(MAX_HEADER_BYTES)
                    .setHandle100ContinueAutomatically(true)
                    .setTcpNoDelay(true)
                    .setCompressionSupported(false));
            server.requestHandler(new PublicHandler(routes, client, upgrades, options, metrics))
                    .listen()
                    .onSuccess(s -> boundPort.set(s.actualPort()))
                    .<Void>mapEmpty()
                    .onComplete(started);
        }
    }

    private static HttpClientOptions clientOptions(ProxyOptions options) {
        return new HttpClientOptions()
                .setConnectTimeout((int) options.connectTimeout().toMillis())
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setMaxInitialLineLength(MAX_HEADER_BYTES)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false);
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
            vertx.createHttpServer(new HttpServerOptions().setHost(bindAddress(options.apiIp())).setPort(options.apiPort()))
                    .requestHandler(new RoutesApi(routes, metrics, options.authToken()))
                    .listen()
                    .onSuccess(s -> boundPort.set(s.actualPort()))
                    .<Void>mapEmpty()
                    .onComplete(started);
        }
    }
}
