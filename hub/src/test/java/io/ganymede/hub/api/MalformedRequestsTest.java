package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganymede.hub.RawHttp;
import io.ganymede.hub.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests broken below the resources (headers, media types, framing) get a 4xx with JupyterHub's
 * JSON error under /hub/api, whichever layer refuses them, and never a 500, a hang or an ERROR log.
 */
@QuarkusTest
class MalformedRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "malformed@example.com";
    private static final String AUTH = "Authorization: token test-admin-token\r\n";

    @BeforeEach
    void aUserAndAGroup() {
        admin().post("/hub/api/users/" + USER);
        admin().post("/hub/api/groups/malformed-group");
    }

    private static Answer send(String method, String path, String headers, String body) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
                + (body == null ? "" : "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n")
                + "\r\n";
        return RawHttp.send(RestAssured.port, head, body, 10_000);
    }

    /** The answer is JupyterHub's error: {@code status} as given, a {@code message}, the version header. */
    private static JsonNode apiError(Answer answer, int status) {
        assertEquals(status, answer.status(), answer.toString());
        assertTrue(answer.header("content-type").startsWith("application/json"), answer.toString());
        assertNotNull(answer.header("x-jupyterhub-version"), answer.toString());
        try {
            JsonNode body = JSON.readTree(answer.body());
            assertEquals(status, body.get("status").asInt(), answer.toString());
            assertFalse(body.get("message").asText().isEmpty(), answer.toString());
            return body;
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + answer, e);
        }
    }

    /** A long name is the API's to refuse, in its JSON, not the HTTP codec's with an empty body (the proxy's limits). */
    @Test
    void aVeryLongNameIsRefusedByTheApiNotTheCodec() {
        String name = "a".repeat(10_000) + "@example.com";
        apiError(send("GET", "/hub/api/users/" + name, AUTH, null), 404);
        apiError(send("POST", "/hub/api/users/" + name, AUTH, null), 400);
        Answer bigHeader = send("GET", "/hub/api/users", AUTH + "X-Trace: " + "t".repeat(30_000) + "\r\n", null);
        assertEquals(200, bigHeader.status(), bigHeader.toString());
    }

    @Test
    void anEmptyOrUnreadableAcceptIsTakenAsNone() {
        for (String accept : List.of("Accept:\r\n", "Accept: \r\n", "Accept: ,\r\n", "Accept: application/json,,\r\n")) {
            for (String path : List.of("/hub/api/users", "/hub/api/users/" + USER, "/hub/api/groups")) {
                Answer answer = send("GET", path, AUTH + accept, null);
                assertEquals(200, answer.status(), accept + path + " " + answer);
                assertTrue(answer.body().startsWith("[") || answer.body().startsWith("{"), answer.toString());
            }
        }
    }

    @Test
    void multipartBodiesAreRefusedWithTheApisError() {
        String multipart = AUTH + "Content-Type: multipart/form-data; boundary=x\r\n";
        List<String[]> calls = List.of(
                new String[] {"PATCH", "/hub/api/users/" + USER},
                new String[] {"POST", "/hub/api/users"},
                new String[] {"POST", "/hub/api/users/" + USER + "/activity"},
                new String[] {"POST", "/hub/api/users/" + USER + "/schedules"},
                new String[] {"POST", "/hub/api/groups/malformed-group/schedules"},
                new String[] {"POST", "/hub/api/oauth2/token"});
        for (String[] call : calls) {
            JsonNode error = apiError(send(call[0], call[1], multipart, "{\"admin\": true}"), 415);
            assertTrue(error.get("message").asText().contains("multipart/form-data"), error.toString());
        }
        admin().get("/hub/api/users/" + USER).then().statusCode(200).body("admin", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void anUnknownCharsetIsA400() {
        for (String charset : List.of("nonsense", "ü", "a b", "\"\"")) {
            JsonNode error = apiError(send("POST", "/hub/api/oauth2/token",
                    "Content-Type: application/x-www-form-urlencoded; charset=" + charset + "\r\n",
                    "grant_type=authorization_code&client_id=a%40b&client_secret=s&code=c"), 400);
            assertTrue(error.get("message").asText().startsWith("Unsupported charset") || error.get("message").asText()
                    .startsWith("Invalid Content-Type"), error.toString());
        }
        apiError(send("POST", "/hub/api/users", AUTH + "Content-Type: ;;;\r\n", "{}"), 400);
    }

    @Test
    void aBodyWhoseEndCannotBeKnownIsRefusedAtOnce() {
        for (String codings : List.of("chunked, gzip", "gzip", "identity")) {
            Answer answer = send("POST", "/hub/api/users/" + USER + "/activity", AUTH + "Transfer-Encoding: " + codings + "\r\n", null);
            assertFalse(answer.timedOut(), codings + " hung");
            JsonNode error = apiError(answer, 400);
            assertTrue(error.get("message").asText().contains("Transfer-Encoding"), error.toString());
        }
    }

    @Test
    void aBodyOverTheLimitIsA413() {
        Answer answer = RawHttp.send(RestAssured.port, "POST /hub/api/users/" + USER + "/activity HTTP/1.1\r\nHost: hub\r\n"
                + AUTH + "Content-Type: application/json\r\nContent-Length: 20000000\r\n\r\n", new byte[64 * 1024], 10_000);
        apiError(answer, 413);
    }

    @Test
    void noHostIsTheClientsMistakeNotTheHubsError() {
        List<LogRecord> errors = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            Answer api = RawHttp.send(RestAssured.port, "GET /hub/api/ HTTP/1.1\r\nConnection: close\r\n\r\n", (byte[]) null, 10_000);
            assertTrue(apiError(api, 400).get("message").asText().contains("Host"), api.toString());
            Answer page = RawHttp.send(RestAssured.port, "GET /hub/login HTTP/1.1\r\nConnection: close\r\n\r\n", (byte[]) null, 10_000);
            assertEquals(400, page.status(), page.toString());
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(errors.isEmpty(), () -> "logged as errors: " + errors.stream().map(LogRecord::getMessage).toList());
    }
}
