package io.ganymede.hub.culler;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.Api;
import io.ganymede.hub.proxy.EmbeddedProxy;
import io.ganymede.hub.proxy.ProxyClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The built-in culler against the local spawner's stand-in servers and the embedded proxy, with a
 * 20 s timeout and a 10 s warning: an idle server is warned, then stopped and its route removed; one
 * with traffic, one kept alive from the user's page, one of a profile without idle culling and one
 * of a group without it keep running.
 */
@QuarkusTest
@TestProfile(CullerProfile.class)
class CullerTest {

    @Inject
    IdleCuller culler;

    @Inject
    ProxyClient proxy;

    @Inject
    EmbeddedProxy embedded;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void idleServersAreWarnedThenStoppedAndUsedOnesKept() throws Exception {
        for (String name : List.of("bo", "pat", "kim", "ida")) {
            admin().post("/hub/api/users/" + name);
        }
        admin().body(Map.of("users", List.of("kim"))).post("/hub/api/groups/keepers").then().statusCode(201);
        String session = signIn("wes");
        String xsrf = session.split("\n")[1];
        String login = session.split("\n")[0];

        // Servers the culler must leave alone first; then ida (idle), then wes (kept alive).
        admin().post("/hub/api/users/bo/server").then().statusCode(201);
        admin().body(Map.of("profile", "patient")).post("/hub/api/users/pat/server").then().statusCode(201);
        admin().post("/hub/api/users/kim/server").then().statusCode(201);
        admin().post("/hub/api/users/ida/server").then().statusCode(201);
        // Adding the route counts as activity (as in configurable-http-proxy): the idle time starts there.
        Instant idaStarted = routeActivity("ida");
        admin().post("/hub/api/users/wes/server").then().statusCode(201);
        Instant wesStarted = started("wes");
        Instant wesRouted = routeActivity("wes");
        assertTrue(Duration.between(idaStarted, wesStarted).toSeconds() < 9, "starts too slow for the timings here");

        List<String> idaEvents = new CopyOnWriteArrayList<>();
        String idaToken = userWithToken("ida");
        http.sendAsync(HttpRequest.newBuilder(URI.create(hubUrl() + "/hub/api/users/ida/notifications"))
                        .header("Authorization", "token " + idaToken).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().filter(l -> l.startsWith("data:")).forEach(idaEvents::add));

        // bo is in use: traffic through the proxy every 300 ms.
        AtomicBoolean using = new AtomicBoolean(true);
        Thread traffic = new Thread(() -> {
            while (using.get()) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + embedded.publicPort() + "/user/bo/api")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(300);
                } catch (Exception e) {
                    return;
                }
            }
        });
        traffic.start();
        IdleCuller.PassReport[] last = new IdleCuller.PassReport[1];
        try {
            // Timeout 20 s, warning 10 s: each step at its time after its server's start, in time order.
            TreeMap<Instant, Step> steps = new TreeMap<>();
            steps.put(wesStarted.plusMillis(11_000), () -> {
                // wes in the warning window: the model says so, and a keep-alive from the page postpones it.
                Map<String, Object> wes = server("wes");
                assertEquals(true, wes.get("cull_warning"), wes.toString());
                Instant cullAt = Instant.parse((String) wes.get("cull_at"));
                assertTrue(!cullAt.isBefore(wesStarted.plusSeconds(20)) && !cullAt.isAfter(wesRouted.plusSeconds(20)), wes.toString());
                Instant kept = Instant.now();
                Map<String, Object> body = Map.of("servers", Map.of("", Map.of("last_activity", kept.toString())));
                given().cookie("jupyterhub-hub-login", login).contentType("application/json").body(body)
                        .post("/hub/api/users/wes/activity").then().statusCode(403);
                given().cookie("jupyterhub-hub-login", login).cookie("_xsrf", xsrf).header("X-XSRFToken", xsrf)
                        .contentType("application/json").body(body)
                        .post("/hub/api/users/wes/activity").then().statusCode(200);
                wes = server("wes");
                assertEquals(false, wes.get("cull_warning"), wes.toString());
                assertTrue(Instant.parse((String) wes.get("cull_at")).isAfter(kept.plusMillis(19_900)), wes.toString());
            });
            steps.put(idaStarted.plusMillis(11_000), () -> {
                assertNotNull(culler.pass());
                assertEquals(true, server("ida").get("cull_warning"));
                awaitTrue(() -> idaEvents.stream().anyMatch(e -> e.contains("\"cull_warning\"")), "warning event: " + idaEvents);
                assertNotNull(routes().getJsonObject("/user/ida"));
            });
            steps.put(idaStarted.plusMillis(20_500), () -> last[0] = culler.pass());
            for (var step : steps.entrySet()) {
                sleepUntil(step.getKey());
                step.getValue().run();
            }
        } finally {
            using.set(false);
            traffic.join();
        }
        assertTrue(last[0].checked() >= 5, last[0].toString());
        assertEquals(1, last[0].culled(), last[0].toString());
        admin().get("/hub/api/users/ida").then().statusCode(200).body("servers", org.hamcrest.Matchers.equalTo(Map.of()));
        // Its usage session ends as culled.
        admin().queryParam("user", "ida").queryParam("sessions", "true").get("/hub/api/usage").then().statusCode(200)
                .body("sessions.stop_reason", org.hamcrest.Matchers.contains("culler"));
        JsonObject routes = routes();
        assertFalse(routes.containsKey("/user/ida"), routes.encode());
        for (String kept : List.of("bo", "pat", "kim", "wes")) {
            assertEquals(true, server(kept).get("ready"), kept + " should still run");
            assertTrue(routes.containsKey("/user/" + kept), routes.encode());
        }
        assertNull(server("pat").get("cull_at"), "a profile without idle culling is never stopped");
        assertNull(server("kim").get("cull_at"), "a group without idle culling is never stopped");
        awaitTrue(() -> idaEvents.stream().anyMatch(e -> e.contains("\"culled\"")), "culled event: " + idaEvents);

        admin().get("/hub/api/culler").then().statusCode(200)
                .body("enabled", org.hamcrest.Matchers.equalTo(true))
                .body("timeout", org.hamcrest.Matchers.equalTo(20))
                .body("every", org.hamcrest.Matchers.equalTo(3600))
                .body("max_age", org.hamcrest.Matchers.equalTo(0))
                .body("leader", org.hamcrest.Matchers.equalTo(true))
                .body("last_pass.culled", org.hamcrest.Matchers.equalTo(1))
                .body("last_pass.checked", org.hamcrest.Matchers.greaterThanOrEqualTo(5));
        Api.as(idaToken).get("/hub/api/culler").then().statusCode(403);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("ganymede_culler_culled_total{reason=\"idle\"} 1.0"), metrics);
        assertTrue(metrics.contains("ganymede_culler_pass_duration_seconds_count"), metrics);
        // At the last pass: ida and kim (profile small) and pat had no activity for the 20 s timeout; bo and wes had.
        assertTrue(metrics.contains("ganymede_culler_idle_servers{profile=\"small\"} 2.0"), metrics);
        assertTrue(metrics.contains("ganymede_culler_idle_servers{profile=\"patient\"} 1.0"), metrics);

        for (String name : List.of("bo", "pat", "kim", "wes")) {
            admin().delete("/hub/api/users/" + name + "/server").then().statusCode(204);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Signs in with the development login; returns the login cookie and the XSRF value on two lines. */
    private static String signIn(String user) {
        String xsrf = given().get("/hub/login").then().extract().cookie("_xsrf");
        String login = given().redirects().follow(false).cookie("_xsrf", xsrf).formParam("_xsrf", xsrf)
                .formParam("username", user).post("/hub/login").then().statusCode(302).extract().cookie("jupyterhub-hub-login");
        return login + "\n" + xsrf;
    }

    private static Map<String, Object> server(String user) {
        return admin().get("/hub/api/users/" + user).then().statusCode(200).extract().path("servers.''");
    }

    private static Instant started(String user) {
        return Instant.parse((String) server(user).get("started"));
    }

    private Instant routeActivity(String user) {
        return Instant.parse(routes().getJsonObject("/user/" + user).getString("last_activity"));
    }

    private JsonObject routes() {
        return proxy.routes(null).await().atMost(Duration.ofSeconds(10));
    }

    private static String hubUrl() {
        return "http://127.0.0.1:" + io.restassured.RestAssured.port;
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
