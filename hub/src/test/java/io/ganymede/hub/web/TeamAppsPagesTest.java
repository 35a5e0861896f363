package io.ganymede.hub.web;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.services.ServicesProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The team apps on the home page and the services on the admin page, with the runs of managed
 * apps as {@code service_apps} holds them (rows written here as the app lifecycle writes them),
 * and the {@code app} object of the services API.
 */
@QuarkusTest
@TestProfile(TeamAppsPagesTest.Profile.class)
class TeamAppsPagesTest {

    static final String MEMBER = "o'brien+test@example.com";
    static final String OUTSIDER = "maria.garcia@example.com";
    static final String ADMIN = "boss@example.com";
    static final String EVIL = "<img src=x onerror=alert(1)>";

    /**
     * An external service (mlflow), two managed apps (tensorboard never started, ray with a run),
     * one hidden from pages and one API client; the group ml-team may open all of them but the
     * API client.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            // A database of its own: other classes' services would be removed at this start and theirs at the next.
            config.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:team-apps;DB_CLOSE_DELAY=-1");
            config.put("ganymede.auth.admin-users", ADMIN);
            config.put("ganymede.services.mlflow.url", "http://127.0.0.1:10104");
            config.put("ganymede.services.mlflow.info.description", "Team experiments " + EVIL);
            config.put("ganymede.services.tensorboard.app.image", "tensorflow/tensorflow:2.20.0");
            config.put("ganymede.services.tensorboard.app.port", "6006");
            config.put("ganymede.services.tensorboard.info.description", "Training curves");
            config.put("ganymede.services.ray.app.image", "rayproject/ray:2.50.0");
            config.put("ganymede.services.ray.app.port", "8265");
            config.put("ganymede.services.ray.app.idle-timeout", "30m");
            config.put("ganymede.services.hidden.url", "http://127.0.0.1:10105");
            config.put("ganymede.services.hidden.display", "false");
            config.put("ganymede.services.culler.api-token", "culler-service-token-0123456789");
            // The first role is application.yaml's test role (sharer).
            ServicesProfile.role(config, 1, "ml-apps", "access:services!service=mlflow,access:services!service=tensorboard,"
                    + "access:services!service=ray,access:services!service=hidden", "groups", "ml-team");
            ServicesProfile.role(config, 2, "ray-name-reader", "read:services:name!service=ray", "users", "name-reader@example.com");
            return config;
        }
    }

    /** Ray's run: started 10 minutes ago, last request 2 minutes ago, by the member. */
    static final Instant STARTED = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
    static final Instant ACTIVE = STARTED.plus(Duration.ofMinutes(8));

    @BeforeEach
    void rows() {
        WebPagesTest.signIn(MEMBER);
        admin().post("/hub/api/groups/ml-team"); // 201, or 409 after the first test
        admin().body(Map.of("users", List.of(MEMBER))).post("/hub/api/groups/ml-team/users").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> ServiceAppEntity.deleteAll());
        appRow("ray", ray -> {
            ray.state(ServiceAppEntity.State.RUNNING);
            ray.url = "http://127.1.0.9:6006";
            ray.startedAt = STARTED;
            ray.lastActivity = ACTIVE;
            ray.lastUser = MEMBER;
            ray.lastUsedAt = ACTIVE;
        });
    }

    /** Writes a managed app's row, as its lifecycle would. */
    private static void appRow(String service, Consumer<ServiceAppEntity> fill) {
        QuarkusTransaction.requiringNew().run(() -> {
            ServiceAppEntity row = new ServiceAppEntity();
            row.serviceId = ServiceEntity.findByName(service).orElseThrow().id;
            fill.accept(row);
            row.persist();
        });
    }

    @Test
    void aMemberSeesTheTeamAppsTheyMayOpenWithTheirState() {
        String home = WebPagesTest.signIn(MEMBER).given().get("/hub/home").then().statusCode(200).extract().asString();
        assertTrue(home.contains("<h2 id=\"team-apps-h\">Team apps</h2>"), home);
        assertEquals(List.of("mlflow", "ray", "tensorboard"), teamApps(home), "shown services with a page, by name");
        // The header's menu links the same, managed apps included.
        assertEquals(List.of("mlflow", "ray", "tensorboard"), all(home, "data-service=\"([^\"]+)\""));

        String mlflow = row(home, "data-team-app=\"mlflow\"");
        assertTrue(mlflow.contains("data-state=\"available\""), mlflow);
        assertTrue(mlflow.contains("Team experiments &lt;img src=x onerror=alert(1)&gt;"), "description escaped: " + mlflow);
        assertFalse(mlflow.contains(EVIL), mlflow);
        assertTrue(mlflow.contains("href=\"/services/mlflow/\""), mlflow);

        String tensorboard = row(home, "data-team-app=\"tensorboard\"");
        assertTrue(tensorboard.contains("data-state=\"stopped\""), "no row yet: stopped " + tensorboard);
        assertTrue(tensorboard.contains("starts when you open it"), tensorboard);
        assertTrue(tensorboard.contains("Training curves"), tensorboard);
        assertTrue(tensorboard.contains("href=\"/services/tensorboard/\""), tensorboard);

        String ray = row(home, "data-team-app=\"ray\"");
        assertTrue(ray.contains("data-state=\"running\""), ray);
        assertTrue(ray.contains("since <time datetime=\"" + STARTED + "\""), ray);
        // Stopped 30 minutes (its idle-timeout) after its last request.
        assertTrue(ray.contains("data-cull-at=\"" + ACTIVE.plus(Duration.ofMinutes(30)) + "\""), ray);
        assertTrue(ray.contains("href=\"/services/ray/\""), ray);
    }

    @Test
    void aFailedStartIsShownWithItsMessageEscaped() {
        appRow("tensorboard", tensorboard -> {
            tensorboard.stopReason = "failure";
            tensorboard.message = "image pull failed " + EVIL;
            tensorboard.startedAt = STARTED;
        });
        String home = WebPagesTest.signIn(MEMBER).given().get("/hub/home").then().statusCode(200).extract().asString();
        String tensorboard = row(home, "data-team-app=\"tensorboard\"");
        assertTrue(tensorboard.contains("data-state=\"stopped\""), tensorboard);
        assertTrue(tensorboard.contains("Its last run failed: image pull failed &lt;img"), tensorboard);
        assertFalse(tensorboard.contains("data-cull-at"), "a stopped app has no idle stop: " + tensorboard);
    }

    @Test
    void someoneWithoutAccessSeesNoTeamApps() {
        String home = WebPagesTest.signIn(OUTSIDER).given().get("/hub/home").then().statusCode(200).extract().asString();
        assertFalse(home.contains("id=\"team-apps\""), home);
        assertFalse(home.contains("data-team-app"), home);
        assertFalse(home.contains("/services/"), "nor in the header's menu");
        WebPagesTest.signIn(OUTSIDER).given().get("/hub/admin").then().statusCode(403);
    }

    @Test
    void anAdminSeesEveryServiceWithWhoUsedItLast() {
        appRow("tensorboard", tensorboard -> {
            tensorboard.stopReason = "idle";
            tensorboard.startedAt = STARTED.minus(Duration.ofDays(1));
            tensorboard.lastUser = "service:pipeline";
            tensorboard.lastUsedAt = STARTED.minus(Duration.ofHours(20));
        });
        String page = WebPagesTest.signIn(ADMIN).given().get("/hub/admin").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<h2 id=\"services-h\">Services</h2>"), page);
        assertEquals(List.of("culler", "hidden", "mlflow", "ray", "tensorboard"), adminServices(page), "all, by name");

        assertTrue(row(page, "data-service-row=\"culler\"").contains("data-kind=\"API only\""));
        String mlflow = row(page, "data-service-row=\"mlflow\"");
        assertTrue(mlflow.contains("data-kind=\"external\""), mlflow);
        assertTrue(mlflow.contains("<code class=\"small\">http://127.0.0.1:10104</code>"), mlflow);
        String hidden = row(page, "data-service-row=\"hidden\"");
        assertTrue(hidden.contains("http://127.0.0.1:10105"), "admins see services hidden from pages too: " + hidden);

        String ray = row(page, "data-service-row=\"ray\"");
        assertTrue(ray.contains("data-kind=\"managed app\""), ray);
        assertTrue(ray.contains("<span class=\"badge ok\">running</span>"), ray);
        assertTrue(ray.contains("<span data-last-user>o&#39;brien+test@example.com</span> <time datetime=\"" + ACTIVE + "\""), ray);
        assertTrue(ray.contains("<time datetime=\"" + STARTED + "\""), ray);
        assertFalse(ray.contains("127.1.0.9"), "the pod's address is not the admin's to open: " + ray);

        String tensorboard = row(page, "data-service-row=\"tensorboard\"");
        assertTrue(tensorboard.contains("<span class=\"badge off\">stopped</span>"), tensorboard);
        assertTrue(tensorboard.contains("<span data-last-user>service:pipeline</span>"), tensorboard);
        assertTrue(tensorboard.contains("<span data-stop-reason>idle</span>"), tensorboard);
        assertTrue(tensorboard.contains("<time datetime=\"" + STARTED.minus(Duration.ofDays(1)) + "\""), tensorboard);
    }

    @Test
    void onlyARunningManagedAppHasAStopButton() {
        appRow("tensorboard", tensorboard -> {
            tensorboard.state(ServiceAppEntity.State.STARTING);
            tensorboard.startedAt = STARTED;
        });
        String page = WebPagesTest.signIn(ADMIN).given().get("/hub/admin").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<div id=\"services-status\" class=\"notice\" role=\"alert\"></div>"), page);
        String ray = row(page, "data-service-row=\"ray\"");
        assertTrue(ray.contains("<button type=\"button\" class=\"link\" data-api-method=\"DELETE\" "
                + "data-api-url=\"/hub/api/services/ray/app\" data-status=\"services-status\""), ray);
        assertEquals(List.of("/hub/api/services/ray/app"), all(page, "data-api-url=\"(/hub/api/services/[^\"]*)\""),
                "a starting app, an external service, an API client: no stop");
        assertTrue(row(page, "data-service-row=\"tensorboard\"").contains("<span class=\"badge wait\">starting</span>"));
    }

    @Test
    void theServiceModelOfAManagedAppCarriesItsRun() {
        Map<String, Object> ray = admin().get("/hub/api/services/ray").then().statusCode(200).extract().jsonPath().getMap("app");
        assertEquals(Map.of("state", "running", "started", STARTED.toString(), "last_activity", ACTIVE.toString(),
                "idle_stop_at", ACTIVE.plus(Duration.ofMinutes(30)).toString()), ray);
        admin().get("/hub/api/services/tensorboard").then().statusCode(200).body("app.state", equalTo("stopped"))
                .body("url", equalTo("")).body("prefix", equalTo("/services/tensorboard/"))
                .body("app.started", nullValue()).body("app.idle_stop_at", nullValue());
        admin().get("/hub/api/services").then().statusCode(200).body("ray.app.state", equalTo("running"))
                .body("mlflow", not(hasKey("app"))).body("culler", not(hasKey("app")));
        // read:services:name shows the name only, as JupyterHub: no run.
        String nameReader = userWithToken("name-reader@example.com");
        as(nameReader).get("/hub/api/services/ray").then().statusCode(200).body("$", not(hasKey("app")))
                .body("name", equalTo("ray"));
    }

    /** The names of the home page's team apps, in order. */
    private static List<String> teamApps(String html) {
        return all(html, "data-team-app=\"([^\"]+)\"");
    }

    private static List<String> adminServices(String html) {
        return all(html, "data-service-row=\"([^\"]+)\"");
    }

    private static List<String> all(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The table row that carries {@code marker}. */
    private static String row(String html, String marker) {
        int at = html.indexOf(marker);
        assertTrue(at >= 0, marker + " in " + html);
        return html.substring(html.lastIndexOf("<tr", at), html.indexOf("</tr>", at));
    }
}
