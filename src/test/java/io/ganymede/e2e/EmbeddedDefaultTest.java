package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's run command: the built hub jar serves the hub through its embedded proxy. */
class EmbeddedDefaultTest {

    @Test
    void hubAnswersThroughTheEmbeddedProxyWithinTenSeconds() throws Exception {
        try (HubProcess hub = new HubProcess(Map.of())) {
            Duration took = hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(10));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api/"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("X-JupyterHub-Version").isPresent());
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertTrue(body.get("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), response.body());
            System.out.println("hub served /hub/api/ through the proxy after " + took.toMillis() + " ms");
        }
    }
}
