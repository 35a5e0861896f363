package io.ganymede.hub.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The first scrape of a hub that has just started, before any server starts or stops: dashboards
 * and alerts read these series right after every restart and rollout.
 */
@QuarkusTest
@TestProfile(FreshHubMetricsTest.Fresh.class)
class FreshHubMetricsTest {

    /** A profile of its own, so this class gets a hub started for it alone. */
    public static class Fresh implements QuarkusTestProfile {}

    @Test
    void aFreshHubExportsTheJupyterHubGauges() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String series : new String[] {"jupyterhub_total_users", "jupyterhub_running_servers",
                "jupyterhub_active_users{period=\"24h\"}", "jupyterhub_active_users{period=\"7d\"}",
                "jupyterhub_active_users{period=\"30d\"}"}) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(series) + " [0-9.eE+-]+$").matcher(metrics).find(),
                    series + " missing from a fresh hub's metrics:\n" + metrics);
        }
    }
}
