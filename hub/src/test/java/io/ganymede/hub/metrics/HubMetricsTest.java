package io.ganymede.hub.metrics;

import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HubMetricsTest {

    @Test
    void jupyterHubMetricNamesAreExported() {
        String token = userWithToken("metrics-user");
        as(token).post("/hub/api/users/metrics-user/server").then().statusCode(201);
        as(token).delete("/hub/api/users/metrics-user/server").then().statusCode(204);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(value(metrics, "jupyterhub_total_users") >= 1, metrics);
        assertTrue(metrics.contains("jupyterhub_running_servers"), metrics);
        assertTrue(metrics.contains("jupyterhub_active_users{period=\"24h\"}"), metrics);
        assertTrue(value(metrics, "jupyterhub_server_spawn_duration_seconds_count{status=\"success\"}") >= 1, metrics);
        assertTrue(metrics.contains("jupyterhub_server_spawn_duration_seconds_bucket"), "a histogram, for quantiles");
        assertTrue(value(metrics, "jupyterhub_server_stop_seconds_count{status=\"success\"}") >= 1, metrics);
        assertTrue(value(metrics, "jupyterhub_proxy_add_duration_seconds_count{status=\"success\"}") >= 1, metrics);
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
        assertTrue(m.find(), series + " missing");
        return Double.parseDouble(m.group(1));
    }
}
