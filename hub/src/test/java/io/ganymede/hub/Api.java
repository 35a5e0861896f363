package io.ganymede.hub;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** Small helpers for API tests: callers with tokens, users made through the API itself. */
public final class Api {

    public static final String ADMIN_TOKEN = "test-admin-token";

    private Api() {}

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "token " + token).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as(ADMIN_TOKEN);
    }

    /** Creates a user (if needed) and returns a token of theirs with the given body. */
    public static String userWithToken(String name, boolean admin, Map<String, Object> tokenBody) {
        admin().body(Map.of("admin", admin)).post("/hub/api/users/" + name);
        return admin().body(tokenBody).post("/hub/api/users/" + name + "/tokens")
                .then().statusCode(201).extract().path("token");
    }

    /**
     * Starts a server and waits until it is ready: 201 at once, or 202 (slower than the slow-spawn
     * timeout, as happens on a busy machine) and then the progress stream's final ready event.
     * For tests where the start itself is not what is checked.
     */
    public static void startServer(String token, String user, String server) {
        String path = "/hub/api/users/" + user + (server.isEmpty() ? "/server" : "/servers/" + server);
        int status = as(token).post(path).then().extract().statusCode();
        if (status == 202) {
            String events = as(token).get(path + "/progress").then().statusCode(200).extract().asString();
            if (!events.contains("\"ready\":true")) {
                throw new AssertionError("start of " + path + " did not become ready: " + events);
            }
        } else if (status != 201) {
            throw new AssertionError("start of " + path + " answered " + status);
        }
    }

    public static String userWithToken(String name) {
        return userWithToken(name, false, Map.of());
    }
}
