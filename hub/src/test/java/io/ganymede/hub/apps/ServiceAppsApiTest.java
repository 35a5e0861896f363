package io.ganymede.hub.apps;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A managed app through the hub with the local spawner: who may open it (its {@code groups}, as a
 * role), what the others get, the admin's stop, its progress and its state row. Its pod's start
 * and idle stop run on the real control plane in the end-to-end ManagedAppTest.
 */
@QuarkusTest
@TestProfile(AppsProfile.class)
class ServiceAppsApiTest {

    private static final String MEMBER = "lab.member@example.com";
    private static final String OTHER = "o'brien+apps@example.com";

    private static String member() {
        String token = userWithToken(MEMBER);
        admin().body(Map.of("users", List.of(MEMBER))).post("/hub/api/groups/lab-team");
        admin().body(Map.of("users", List.of(MEMBER))).post("/hub/api/groups/lab-team/users");
        return token;
    }

    @Test
    void theGroupsMembersHoldAccessThroughTheAppsRole() {
        member();
        admin().get("/hub/api/users/" + MEMBER).then().statusCode(200).body("roles", hasItem("app-users-lab-board"));
        userWithToken(OTHER);
        admin().get("/hub/api/users/" + OTHER).then().statusCode(200).body("roles", not(hasItem("app-users-lab-board")));
    }

    @Test
    void aMemberMayOpenItAndOthersGet403() {
        String token = member();
        // Allowed: the start is refused only because this hub runs the local spawner.
        as(token).accept("application/json").redirects().follow(false).get("/hub/services/lab-board/")
                .then().statusCode(503).body("status", equalTo(503))
                .body("message", containsString("kubernetes spawner only"));
        String other = userWithToken(OTHER);
        as(other).accept("application/json").redirects().follow(false).get("/hub/services/lab-board/#x")
                .then().statusCode(403).body("status", equalTo(403))
                .body("message", equalTo("access_denied: User " + OTHER + " is not allowed to access service lab-board"));
        as(other).accept("text/html").redirects().follow(false).get("/hub/services/lab-board/data/runs")
                .then().statusCode(403).contentType(containsString("text/html"));
        // Nobody signed in: to the login page and back; a token that is not valid gets 403.
        String location = given().redirects().follow(false).get("/hub/services/lab-board/")
                .then().statusCode(302).extract().header("Location");
        assertTrue(location.contains("/hub/login") && location.contains("next="), location);
        as("not-a-token-at-all").accept("application/json").get("/hub/services/lab-board/").then().statusCode(403)
                .body("status", equalTo(403));
        // Not a managed app, or no service at all.
        admin().accept("application/json").get("/hub/services/plain/").then().statusCode(404)
                .body("message", equalTo("No managed app: plain"));
        admin().accept("application/json").get("/hub/services/nope/").then().statusCode(404);
        // Its access cookie is given at /hub/open-service as for login-at-proxy services (implied).
        as(token).redirects().follow(false).queryParam("next", "/services/lab-board/").get("/hub/open-service/lab-board")
                .then().statusCode(302);
        as(other).redirects().follow(false).get("/hub/open-service/lab-board").then().statusCode(403);
    }

    @Test
    void itsRowStartsStoppedAndAnAdminStopsIt() {
        ServiceAppEntity row = QuarkusTransaction.requiringNew().call(() -> ServiceAppEntity.findByService(
                ServiceEntity.findByName("lab-board").orElseThrow().id).orElseThrow());
        assertEquals("stopped", row.state);
        admin().get("/hub/api/services/lab-board").then().statusCode(200).body("url", equalTo(""));
        admin().delete("/hub/api/services/lab-board/app").then().statusCode(204);
        admin().delete("/hub/api/services/plain/app").then().statusCode(404).body("message", equalTo("No managed app: plain"));
        as(member()).delete("/hub/api/services/lab-board/app").then().statusCode(403);
        String events = as(member()).get("/hub/api/services/lab-board/app/progress").then().statusCode(200).extract().asString();
        assertTrue(events.contains("\"failed\":true") && events.contains("is not running"), events);
        // No access:services at all: 403, as JupyterHub answers a missing scope.
        as(userWithToken(OTHER)).get("/hub/api/services/lab-board/app/progress").then().statusCode(403);
    }
}
