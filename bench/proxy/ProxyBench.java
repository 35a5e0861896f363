import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load tools for bench/proxy/run.sh (loopback only), run as a single-file program with the proxy's
 * shaded jar on the class path:
 *   echo PORT                              WebSocket echo backend
 *   rate PORT PATH CONNECTIONS SECONDS     ping-pong round trips per second over N WebSockets
 *   idle PORT PATH COUNT                   opens COUNT WebSockets, prints "open", holds them until stdin closes
 *   routes API_PORT TOKEN COUNT TARGET     adds COUNT routes /user/u<i> through the CHP REST API
 */
public final class ProxyBench {

    public static void main(String[] args) throws Exception {
        System.setProperty("vertx.disableWebsockets", "false");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        switch (args[0]) {
            case "echo" -> echo(vertx, Integer.parseInt(args[1]));
            case "rate" -> rate(vertx, Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "idle" -> idle(vertx, Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]));
            case "routes" -> routes(vertx, Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), args[4]);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    static void echo(Vertx vertx, int port) throws Exception {
        await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .webSocketHandler(ws -> ws.handler(ws::write))
                .requestHandler(r -> r.response().end("ok\n"))
                .listen());
        System.out.println("echo listening on " + port);
        Thread.currentThread().join();
    }

    private static WebSocketClient wsClient(Vertx vertx, int max) {
        return vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(max).setConnectTimeout(30_000));
    }

    static void rate(Vertx vertx, int port, String path, int connections, int seconds) throws Exception {
        WebSocketClient client = wsClient(vertx, connections);
        AtomicLong roundTrips = new AtomicLong();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            sockets.add(await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path))));
        }
        Buffer ping = Buffer.buffer("ping-0123456789");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicInteger running = new AtomicInteger(connections);
        CompletableFuture<Void> done = new CompletableFuture<>();
        for (WebSocket ws : sockets) {
            ws.binaryMessageHandler(pong -> {
                if (System.nanoTime() < end) {
                    roundTrips.incrementAndGet();
                    ws.writeBinaryMessage(ping);
                } else if (running.decrementAndGet() == 0) {
                    done.complete(null);
                }
            });
            vertx.runOnContext(v -> ws.writeBinaryMessage(ping));
        }
        long start = System.nanoTime();
        done.get(seconds + 30L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("rate %.0f round trips/s over %d WebSockets (%d in %.1f s)%n",
                roundTrips.get() / elapsed, connections, roundTrips.get(), elapsed);
        System.exit(0);
    }

    static void idle(Vertx vertx, int port, String path, int count) throws Exception {
        WebSocketClient client = wsClient(vertx, count);
        int batch = 100;
        int opened = 0;
        while (opened < count) {
            List<Future<WebSocket>> pending = new ArrayList<>();
            for (int i = 0; i < batch && opened + i < count; i++) {
                pending.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)));
            }
            await(Future.all(pending));
            opened += pending.size();
        }
        System.out.println("open " + opened);
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the sockets until the caller closes our stdin
        }
        System.exit(0);
    }

    static void routes(Vertx vertx, int apiPort, String token, int count, String target) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
        List<Future<?>> all = new ArrayList<>();
        int chunk = 500;
        for (int from = 0; from < count; from += chunk) {
            all.clear();
            for (int i = from; i < Math.min(count, from + chunk); i++) {
                String body = "{\"target\": \"" + target + "\", \"jupyterhub\": true, \"user\": \"u" + i + "\", \"server_name\": \"\"}";
                all.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(apiPort)
                                .setURI("/api/routes/user/u" + i).addHeader("Authorization", "token " + token)
                                .addHeader("Content-Type", "application/json"))
                        .compose(r -> r.send(body)).map(r -> {
                            if (r.statusCode() != 201) {
                                throw new IllegalStateException("route add: " + r.statusCode());
                            }
                            return r;
                        }));
            }
            await(Future.all(all));
        }
        System.out.println("routes " + count);
        System.exit(0);
    }
}
