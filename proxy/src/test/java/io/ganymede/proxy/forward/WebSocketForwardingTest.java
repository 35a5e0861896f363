package io.ganymede.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.proxy.ProxyFixture;
import io.ganymede.proxy.ProxyOptions;
import io.ganymede.proxy.routing.Route;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebSocketForwardingTest {

    /** Greets on connect, then echoes every text frame upper-cased; records the handshake it saw. */
    private static int echoBackend(ProxyFixture fx, BlockingQueue<String> seen) {
        HttpServer server = ProxyFixture.await(fx.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setWebSocketSubProtocols(List.of("v1.kernel.websocket.jupyter.org")))
                .webSocketHandler((ServerWebSocket ws) -> {
                    seen.add(ws.path() + "?" + ws.query() + " origin=" + ws.headers().get("Origin")
                            + " xff=" + ws.headers().get("X-Forwarded-For"));
                    ws.writeTextMessage("hello");
                    ws.textMessageHandler(text -> ws.writeTextMessage(text.toUpperCase()));
                    ws.binaryMessageHandler(ws::writeBinaryMessage);
                })
                .listen());
        return server.actualPort();
    }

    private static WebSocket connect(ProxyFixture fx, String uri, BlockingQueue<String> received) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(fx.proxy.publicPort())
                .setURI(uri).addHeader("Origin", "http://127.0.0.1:" + fx.proxy.publicPort())
                .addSubProtocol("v1.kernel.websocket.jupyter.org");
        // The handler is set on the event loop as the handshake completes, so no early frame is missed.
        return ProxyFixture.await(fx.vertx.createWebSocketClient().connect(options).map(ws -> {
            ws.textMessageHandler(received::add);
            return ws;
        }));
    }

    @Test
    void framesPassBothWaysWithTheHandshakeIntact() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            int port = echoBackend(fx, seen);
            fx.addRoute("/user/ws", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket ws = connect(fx, "/user/ws/api/kernels/k1/channels?session_id=s", received);
            assertEquals("v1.kernel.websocket.jupyter.org", ws.subProtocol());
            assertEquals("hello", received.poll(5, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                ws.writeTextMessage("msg " + i);
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("MSG " + i, received.poll(5, TimeUnit.SECONDS));
            }
            String handshake = seen.poll(5, TimeUnit.SECONDS);
            assertEquals("/user/ws/api/kernels/k1/channels?session_id=s origin=http://127.0.0.1:" + fx.proxy.publicPort()
                    + " xff=127.0.0.1", handshake);
            assertTrue(fx.api("GET", "/metrics", null).body().contains("ganymede_proxy_websockets_open 1\n"));
            ProxyFixture.await(ws.close());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!fx.api("GET", "/metrics", null).body().contains("ganymede_proxy_websockets_open 0\n")) {
                assertTrue(System.nanoTime() < deadline, "open WebSocket gauge never went back to 0");
                Thread.sleep(50);
            }
        }
    }

    @Test
    void everyFrameInEitherDirectionCountsAsActivity() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            int port = echoBackend(fx, seen);
            fx.addRoute("/user/act", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            Route route = fx.proxy.routes().get("/user/act");
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket ws = connect(fx, "/user/act/ws", received);
            assertEquals("hello", received.poll(5, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                long before = route.lastActivityMillis();
                Thread.sleep(150);
                ws.writeTextMessage("tick");
                assertEquals("TICK", received.poll(5, TimeUnit.SECONDS));
                assertTrue(route.lastActivityMillis() >= before + 150, "frame did not update last_activity");
            }
            ws.close();
        }
    }

    @Test
    void anIdleWebSocketOutlivesTheRequestIdleTimeout() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(ProxyOptions.defaults().withIdleTimeout(Duration.ofMillis(300)))) {
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            int port = echoBackend(fx, seen);
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket ws = connect(fx, "/idle", received);
            assertEquals("hello", received.poll(5, TimeUnit.SECONDS));
            Thread.sleep(1200);
            ws.writeTextMessage("still there");
            assertEquals("STILL THERE", received.poll(5, TimeUnit.SECONDS));
            ws.close();
        }
    }

    @Test
    void manyOpenWebSocketsToOneTargetDoNotExhaustItsConnectionPool() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            int port = echoBackend(fx, seen);
            fx.addRoute("/user/many", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            var client = fx.vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(2000));
            List<WebSocket> open = new java.util.ArrayList<>();
            // More than the HTTP keep-alive pool holds per target on both event loops (2 x 512).
            for (int batch = 0; batch < 12; batch++) {
                List<io.vertx.core.Future<WebSocket>> pending = new java.util.ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    pending.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                            .setPort(fx.proxy.publicPort()).setURI("/user/many/ws")));
                }
                ProxyFixture.await(io.vertx.core.Future.all(pending));
                pending.forEach(f -> open.add(f.result()));
            }
            assertEquals(1200, open.size());
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket last = connect(fx, "/user/many/ws", received);
            assertEquals("hello", received.poll(5, TimeUnit.SECONDS));
            last.writeTextMessage("and one more");
            assertEquals("AND ONE MORE", received.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void upgradeToADownTargetIs503AndToAnUnknownRoute404() {
        try (ProxyFixture fx = new ProxyFixture()) {
            fx.addRoute("/user/down", "{\"target\": \"http://127.0.0.1:" + HttpForwardingTest.closedPort() + "\"}");
            WebSocketConnectOptions down = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(fx.proxy.publicPort())
                    .setURI("/user/down/ws");
            Throwable failure = fx.vertx.createWebSocketClient().connect(down).toCompletionStage().toCompletableFuture()
                    .handle((ws, e) -> e).join();
            assertTrue(String.valueOf(failure).contains("503"), String.valueOf(failure));
            Throwable missing = fx.vertx.createWebSocketClient().connect(down.setURI("/nowhere")).toCompletionStage()
                    .toCompletableFuture().handle((ws, e) -> e).join();
            assertTrue(String.valueOf(missing).contains("404"), String.valueOf(missing));
        }
    }

    @Test
    void aTargetRefusingTheUpgradeHasItsAnswerRelayed() {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(r -> r.response().setStatusCode(403).end("forbidden origin"));
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
                    .setPort(fx.proxy.publicPort()).setURI("/ws");
            Throwable failure = fx.vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture()
                    .handle((ws, e) -> e).join();
            assertTrue(String.valueOf(failure).contains("403"), String.valueOf(failure));
        }
    }

    @Test
    void aSlowTargetGetsEveryByteInOrderWithoutTheProxyBufferingIt() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int frames = 1024;
            int size = 64 * 1024;
            java.util.concurrent.CompletableFuture<String> result = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger sentWhileStalled = new java.util.concurrent.atomic.AtomicInteger();
            HttpServer server = ProxyFixture.await(fx.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                    .webSocketHandler(ws -> {
                        // Reads nothing for a while, so the tunnel must hold the client back.
                        ws.pause();
                        fx.vertx.setTimer(700, t -> {
                            sentWhileStalled.set(sent.get());
                            ws.resume();
                        });
                        int[] next = {0};
                        ws.binaryMessageHandler(frame -> {
                            for (int i = 0; i < frame.length(); i++) {
                                if (frame.getByte(i) != (byte) (next[0] + i / 4096)) {
                                    result.complete("frame " + next[0] + " corrupt at " + i);
                                    return;
                                }
                            }
                            if (++next[0] == frames) {
                                result.complete("ok " + frame.length());
                            }
                        });
                    })
                    .listen());
            fx.addRoute("/user/slow", "{\"target\": \"http://127.0.0.1:" + server.actualPort() + "\"}");
            WebSocket ws = ProxyFixture.await(fx.vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
                    .setHost("127.0.0.1").setPort(fx.proxy.publicPort()).setURI("/user/slow/ws")));
            fx.vertx.runOnContext(v -> {
                Runnable[] send = new Runnable[1];
                send[0] = () -> {
                    while (sent.get() < frames && !ws.writeQueueFull()) {
                        io.vertx.core.buffer.Buffer frame = io.vertx.core.buffer.Buffer.buffer(size);
                        for (int i = 0; i < size; i++) {
                            frame.appendByte((byte) (sent.get() + i / 4096));
                        }
                        ws.writeBinaryMessage(frame);
                        sent.incrementAndGet();
                    }
                    if (sent.get() < frames) {
                        ws.drainHandler(d -> send[0].run());
                    }
                };
                send[0].run();
            });
            assertEquals("ok " + size, result.get(60, TimeUnit.SECONDS));
            // Socket buffers take a few MiB; a proxy reading on regardless would have taken all 64.
            assertTrue(sentWhileStalled.get() < frames / 2, "client was never held back: " + sentWhileStalled.get());
            ws.close();
        }
    }
}
