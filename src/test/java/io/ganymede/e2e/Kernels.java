package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs code in a real Jupyter kernel the way JupyterLab does: REST to start it, its WebSocket to talk. */
final class Kernels {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Kernels() {}

    /**
     * Starts a kernel on the server at {@code serverUrl} ({@code http://host:port/user/alice/}),
     * runs {@code 1+1} over its channels WebSocket and asserts the result is 2.
     */
    static void assertOnePlusOne(HttpClient http, String serverUrl, String user, String token) throws Exception {
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(serverUrl + "api/kernels"))
                .header("Authorization", "token " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"python3\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, started.statusCode(), started.body());
        String kernel = JSON.readTree(started.body()).get("id").asText();

        BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        StringBuilder partial = new StringBuilder();
        WebSocket ws = http.newWebSocketBuilder()
                .header("Authorization", "token " + token)
                .connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create(serverUrl.replaceFirst("^http", "ws") + "api/kernels/" + kernel
                        + "/channels?session_id=" + URLEncoder.encode(UUID.randomUUID().toString(), StandardCharsets.UTF_8)),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    try {
                                        messages.add(JSON.readTree(partial.toString()));
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                    partial.setLength(0);
                                }
                                socket.request(1);
                                return null;
                            }
                        })
                .get(30, TimeUnit.SECONDS);
        String msgId = UUID.randomUUID().toString();
        ObjectNode request = JSON.createObjectNode();
        request.putObject("header").put("msg_id", msgId).put("username", user).put("session", UUID.randomUUID().toString())
                .put("msg_type", "execute_request").put("version", "5.3");
        request.putObject("parent_header");
        request.putObject("metadata");
        request.putObject("content").put("code", "1+1").put("silent", false).put("store_history", true)
                .put("allow_stdin", false).put("stop_on_error", true).putObject("user_expressions");
        request.put("channel", "shell");
        request.putArray("buffers");
        ws.sendText(request.toString(), true).get(10, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = messages.poll(1, TimeUnit.SECONDS);
            if (message != null && "execute_result".equals(message.path("msg_type").asText(message.path("header").path("msg_type").asText()))
                    && msgId.equals(message.path("parent_header").path("msg_id").asText())) {
                assertEquals("2", message.path("content").path("data").path("text/plain").asText());
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
                return;
            }
        }
        throw new AssertionError("no execute_result for 1+1 over the kernel WebSocket");
    }
}
