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

    public static String userWithToken(String name) {
        return userWithToken(name, false, Map.of());
    }
}
