package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Starts that take longer than the slow-spawn timeout (202, pending, then ready) and starts that
 * fail, seen through the API and the progress event stream. The stand-in server's names "slow"
 * and "broken" make it answer late or exit at once (src/test/resources/fake-server.py).
 */
@QuarkusTest
class ServerLifecycleApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSlowStartIsPendingThenReadyWithProgressEvents() throws Exception {
        String token = userWithToken("slow-user");
        as(token).body(Map.of("note", "options kept")).post("/hub/api/users/slow-user/servers/slow").then().statusCode(202);
        as(token).get("/hub/api/users/slow-user").then().statusCode(200)
                .body("servers.slow.pending", equalTo("spawn"))
                .body("servers.slow.ready", equalTo(false))
                .body("servers.slow.user_options.note", equalTo("options kept"));
        // Asking again while it starts is a 202 too; stopping is refused until it settles... as JupyterHub, a 202.
        as(token).post("/hub/api/users/slow-user/servers/slow").then().statusCode(202);
        admin().queryParam("name_filter", "slow-user").queryParam("state", "active").get("/hub/api/users").then()
                .body("name", org.hamcrest.Matchers.contains("slow-user"));
        admin().queryParam("name_filter", "slow-user").queryParam("state", "ready").get("/hub/api/users").then()
                .body("size()", equalTo(0));

        String stream = as(token).header("Accept", "text/event-stream").get("/hub/api/users/slow-user/servers/slow/progress")
                .then().statusCode(200).contentType(containsString("text/event-stream")).extract().asString();
        List<Map<String, Object>> events = events(stream);
        assertTrue(events.size() >= 2, stream);
        assertEquals(0, events.get(0).get("progress"), stream);
        Map<String, Object> last = events.get(events.size() - 1);
        assertEquals(100, last.get("progress"), stream);
        assertEquals(true, last.get("ready"), stream);
        assertEquals("/user/slow-user/slow/", last.get("url"), stream);
        for (int i = 1; i < events.size(); i++) {
            assertTrue((int) events.get(i).get("progress") >= (int) events.get(i - 1).get("progress"), stream);
        }
        as(token).get("/hub/api/users/slow-user").then().body("servers.slow.ready", equalTo(true))
                .body("servers.slow.pending", equalTo(null));
        as(token).delete("/hub/api/users/slow-user/servers/slow").then().statusCode(204);
    }

    @Test
    void aFailedStartIsReportedToTheCallerAndInProgress() throws Exception {
        String token = userWithToken("broken-user");
        as(token).post("/hub/api/users/broken-user/servers/broken").then().statusCode(500)
                .body("status", equalTo(500)).body("message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        as(token).get("/hub/api/users/broken-user").then().body("servers", equalTo(Map.of()));
        String stream = as(token).get("/hub/api/users/broken-user/servers/broken/progress").then().statusCode(200)
                .extract().asString();
        List<Map<String, Object>> events = events(stream);
        Map<String, Object> last = events.get(events.size() - 1);
        assertEquals(true, last.get("failed"), stream);
        assertTrue(String.valueOf(last.get("message")).startsWith("Spawn failed"), stream);
        // It can be tried again (and fails again), and the default server is unaffected.
        as(token).post("/hub/api/users/broken-user/servers/broken").then().statusCode(500);
        startServer(token, "broken-user", "");
        as(token).delete("/hub/api/users/broken-user/server").then().statusCode(204);
    }

    @Test
    void stoppingAPendingStartCancelsIt() throws Exception {
        String token = userWithToken("cancel-user");
        as(token).post("/hub/api/users/cancel-user/servers/slow").then().statusCode(202);
        int status = as(token).delete("/hub/api/users/cancel-user/servers/slow").then().extract().statusCode();
        assertTrue(status == 204 || status == 202, "status " + status);
        // Past the moment the stand-in would have answered: the cancelled start never becomes ready.
        Thread.sleep(8000);
        as(token).get("/hub/api/users/cancel-user").then().statusCode(200).body("servers", equalTo(Map.of()))
                .body("pending", equalTo(null));
        admin().get("/hub/api/proxy").then().body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("/user/cancel-user/slow")));
        // And it can be started again afterwards.
        startServer(token, "cancel-user", "");
        as(token).delete("/hub/api/users/cancel-user/server").then().statusCode(204);
    }

    @Test
    void progressOfServersThatNeverStarted() {
        String token = userWithToken("never-user");
        as(token).get("/hub/api/users/never-user/server/progress").then().statusCode(404)
                .body("message", equalTo("never-user has no server named ''"));
        as(token).get("/hub/api/users/never-user/servers/nothing/progress").then().statusCode(404);
    }

    static List<Map<String, Object>> events(String stream) throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : stream.split("\n")) {
            if (line.startsWith("data:")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> event = JSON.readValue(line.substring(5).strip(), Map.class);
                events.add(event);
            }
        }
        return events;
    }
}
