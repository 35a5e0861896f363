package io.ganymede.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.proxy.ProxyFixture;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bodies far larger than this test JVM's heap (surefire runs it with -Xmx256m) pass through in both
 * directions, and the far side sees the first bytes long before the last ones are produced.
 */
class StreamingTest {

    private static final long SIZE = 512L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    @Test
    void largeUploadIsStreamedNotBuffered() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            AtomicLong sentByClient = new AtomicLong();
            AtomicLong sentWhenTargetSawFirstByte = new AtomicLong(-1);
            int port = fx.backend(request -> {
                AtomicLong received = new AtomicLong();
                request.handler(chunk -> {
                    if (received.getAndAdd(chunk.length()) == 0) {
                        sentWhenTargetSawFirstByte.set(sentByClient.get());
                    }
                });
                request.endHandler(end -> request.response().end(Long.toString(received.get())));
            });
            fx.addRoute("/upload", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            InputStream generator = new InputStream() {
                private final byte[] chunk = new byte[CHUNK];

                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    long left = SIZE - sentByClient.get();
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(Math.min(len, left), CHUNK);
                    System.arraycopy(chunk, 0, b, off, n);
                    sentByClient.addAndGet(n);
                    return n;
                }
            };
            HttpResponse<String> r = fx.http.send(HttpRequest.newBuilder(URI.create(fx.publicUrl("/upload/file")))
                            .timeout(Duration.ofMinutes(2))
                            .POST(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> generator), SIZE))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(Long.toString(SIZE), r.body());
            assertTrue(sentWhenTargetSawFirstByte.get() >= 0);
            assertTrue(sentWhenTargetSawFirstByte.get() < SIZE / 8,
                    "target saw its first byte only after " + sentWhenTargetSawFirstByte.get() + " bytes were sent");
        }
    }

    @Test
    void aTargetRefusingAnUploadEarlyNeitherHangsNorBreaksTheProxy() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(request -> {
                request.response().setStatusCode(413).end("too big");
                request.connection().close();
            });
            fx.addRoute("/refuse", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            int status;
            try {
                status = fx.http.send(HttpRequest.newBuilder(URI.create(fx.publicUrl("/refuse/file")))
                                .timeout(Duration.ofSeconds(20))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64 * 1024 * 1024])).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (java.net.http.HttpTimeoutException hung) {
                throw new AssertionError("the proxy left the client hanging", hung);
            } catch (java.io.IOException closedEarly) {
                status = -1;
            }
            assertTrue(status == 413 || status == 503 || status == -1, "got " + status);
            assertEquals("OK", new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(fx.get("/_chp_healthz").body()).get("status").asText());
        }
    }

    @Test
    void largeDownloadIsStreamedWithBackPressure() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            AtomicLong producedByTarget = new AtomicLong();
            int port = fx.backend(request -> {
                var response = request.response().setChunked(true);
                Buffer chunk = Buffer.buffer(new byte[CHUNK]);
                Runnable[] pump = new Runnable[1];
                pump[0] = () -> {
                    while (!response.writeQueueFull() && producedByTarget.get() < SIZE) {
                        producedByTarget.addAndGet(CHUNK);
                        response.write(chunk);
                    }
                    if (producedByTarget.get() >= SIZE) {
                        response.end();
                    } else {
                        response.drainHandler(v -> pump[0].run());
                    }
                };
                pump[0].run();
            });
            fx.addRoute("/download", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            HttpResponse<InputStream> r = fx.http.send(HttpRequest.newBuilder(URI.create(fx.publicUrl("/download/big")))
                    .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            long producedAtFirstRead;
            long total = 0;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[CHUNK];
                int n = in.read(buf);
                producedAtFirstRead = producedByTarget.get();
                // A slow reader: the target must be held back rather than the proxy filling its heap.
                Thread.sleep(500);
                long producedWhileStalled = producedByTarget.get();
                assertTrue(producedWhileStalled < SIZE / 4,
                        "target produced " + producedWhileStalled + " bytes while the client read nothing");
                for (total = n; (n = in.read(buf)) > 0; ) {
                    total += n;
                }
            }
            assertEquals(SIZE, total);
            assertTrue(producedAtFirstRead < SIZE / 4);
        }
    }
}
