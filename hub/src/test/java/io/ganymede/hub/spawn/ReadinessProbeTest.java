package io.ganymede.hub.spawn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.spawner.PollResult;
import io.smallrye.mutiny.Uni;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The probe reaches servers that serve WebSockets on the same port, as code-server does. */
class ReadinessProbeTest {

    @Test
    void aServerThatClosesOnAnyUpgradeIsSeenUp() throws Exception {
        List<String> upgrades = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serve(server, upgrades));
            serving.setDaemon(true);
            serving.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/";
            new ReadinessProbe().awaitUp(url, Duration.ofSeconds(8), () -> Uni.createFrom().item(PollResult.isRunning()))
                    .await().atMost(Duration.ofSeconds(15));
            assertTrue(upgrades.isEmpty(), "the probe asked for an upgrade: " + upgrades);
        }
    }

    /**
     * Like Node's HTTP server with an upgrade listener (code-server's): a request with an
     * {@code Upgrade} header goes to that listener, which drops what it does not serve; anything
     * else gets code-server's answer at its root, a redirect.
     */
    private static void serve(ServerSocket server, List<String> upgrades) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                String upgrade = null;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase().startsWith("upgrade:")) {
                        upgrade = line;
                    }
                }
                if (upgrade != null) {
                    upgrades.add(upgrade);
                    continue;
                }
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 302 Found\r\nLocation: ./?folder=/home\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (java.io.IOException closed) {
                // the test is over, or the client went away
            }
        }
    }
}
