package io.ganymede.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.proxy.ProxyFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A target may answer a request before reading its body, and close: the hub's 414 for a name too
 * long, its 413 for a body too large. Writing the rest of the body to it then fails, and the
 * client must still get the target's answer (not a 503), on a connection that closes after it.
 * Requests whose body's end cannot be known are refused at once instead of waited on.
 */
class EarlyAnswerTest {

    private static final byte[] FIVE_MB = new byte[5 * 1024 * 1024];

    static {
        Arrays.fill(FIVE_MB, (byte) 'x');
    }

    /** A target that reads a request's head, answers 414 and closes with the body unread. */
    private static Thread refusingTarget(ServerSocket server) {
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    int matched = 0;
                    while (matched < 4) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                    }
                    String body = "{\"status\": 414, \"message\": \"URI Too Long\"}";
                    s.getOutputStream().write(("HTTP/1.1 414 Request-URI Too Long\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // closed by the test, or the proxy went away mid-request
                }
            }
        }, "refusing-target");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Sends {@code head} and then {@code body} from another thread (as a client that uploads while
     * it reads), and returns everything read until the proxy closes the connection.
     */
    static String exchange(int port, String head, byte[] body) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    if (body != null) {
                        out.write(body);
                    }
                    out.flush();
                } catch (IOException e) {
                    // the proxy stopped reading: expected once it has answered
                }
            });
            writer.setDaemon(true);
            writer.start();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    got.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException hung) {
                throw new AssertionError("the connection stayed open after " + got.toString(StandardCharsets.UTF_8), hung);
            } catch (IOException reset) {
                // a reset after the answer: what was read before it counts
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void theTargetsEarlyAnswerReachesTheClientAndTheConnectionCloses() throws Exception {
        try (ProxyFixture fx = new ProxyFixture();
                ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            refusingTarget(target);
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + target.getLocalPort() + "\"}");
            String name = "a".repeat(10_000);
            for (int i = 0; i < 10; i++) {
                String answer = exchange(fx.proxy.publicPort(), "POST /hub/api/users/" + name + " HTTP/1.1\r\nHost: hub\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + FIVE_MB.length + "\r\n\r\n", FIVE_MB);
                assertTrue(answer.startsWith("HTTP/1.1 414"), "attempt " + i + " got: " + answer);
                assertTrue(answer.endsWith("{\"status\": 414, \"message\": \"URI Too Long\"}"), "attempt " + i + " got: " + answer);
            }
        }
    }

    @Test
    void aVertxTargetAnswering413AndClosingIsPassedOn() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(request -> {
                request.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .end("{\"status\": 413, \"message\": \"too big\"}");
                request.connection().close();
            });
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            for (int i = 0; i < 10; i++) {
                String answer = exchange(fx.proxy.publicPort(), "POST /upload HTTP/1.1\r\nHost: hub\r\nContent-Length: "
                        + FIVE_MB.length + "\r\n\r\n", FIVE_MB);
                assertTrue(answer.startsWith("HTTP/1.1 413"), "attempt " + i + " got: " + answer);
                assertTrue(answer.endsWith("\"too big\"}"), "attempt " + i + " got: " + answer);
            }
        }
    }

    @Test
    void aBodyWhoseEndCannotBeKnownIsRefusedNotWaitedFor() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(HttpForwardingTest::echo);
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            for (String codings : new String[] {"chunked, gzip", "gzip", "chunked\r\nTransfer-Encoding: identity"}) {
                String answer = exchange(fx.proxy.publicPort(), "POST /hub/api/users/x/activity HTTP/1.1\r\nHost: hub\r\n"
                        + "Transfer-Encoding: " + codings + "\r\n\r\n", null);
                assertTrue(answer.startsWith("HTTP/1.1 400"), codings + " got: " + answer);
            }
            String chunked = exchange(fx.proxy.publicPort(), "POST /echo HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n"
                    + "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", null);
            assertTrue(chunked.startsWith("HTTP/1.1 200"), chunked);
        }
    }

    @Test
    void aRequestTheCodecCannotReadGetsJupyterHubsJsonError() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = fx.backend(HttpForwardingTest::echo);
            fx.addRoute("/", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            String longLine = "GET /hub/api/users/" + "a".repeat(70 * 1024) + " HTTP/1.1\r\nHost: hub\r\n\r\n";
            String longHeader = "GET /hub/api/ HTTP/1.1\r\nHost: hub\r\nX-Big: " + "b".repeat(70 * 1024) + "\r\n\r\n";
            String notHttp = "{\"name\": \"alice@example.com\"}\r\n\r\n";
            Map<String, String> cases = Map.of(longLine, "414", longHeader, "431", notHttp, "400");
            for (var c : cases.entrySet()) {
                String answer = exchange(fx.proxy.publicPort(), c.getKey(), null);
                assertTrue(answer.startsWith("HTTP/1.1 " + c.getValue()), answer);
                assertTrue(answer.contains("content-type: application/json"), answer);
                assertTrue(answer.endsWith("{\"status\":" + c.getValue() + ",\"message\":\""
                        + HttpResponseStatus.valueOf(Integer.parseInt(c.getValue())).reasonPhrase() + "\"}"), answer);
            }
        }
    }
}
