package io.ganymede.hub.fairuse;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.culler.CullNotices;
import io.ganymede.hub.culler.QuotaStops;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Accounting, quotas and reservations through the API, with the local spawner's stand-in servers
 * and a cluster of 2 T4 and 1 L4 ({@link FakeInventory}). Users are named by e-mail.
 */
@QuarkusTest
@TestProfile(FairUseProfile.class)
class FairUseApiTest {

    static final Map<String, Object> T4 = Map.of("profile", "gpu-t4");
    // A start without options takes the server's last ones again: CPU starts name their profile.
    static final Map<String, Object> CPU = Map.of("profile", "cpu");

    @BeforeEach
    void cluster() {
        QuarkusMock.installMockForType(new FakeInventory(), GpuInventory.class);
    }

    static void group(String name, String... users) {
        for (String u : users) {
            admin().post("/hub/api/users/" + u);
        }
        int made = admin().body(Map.of("users", List.of(users))).post("/hub/api/groups/" + name).then().extract().statusCode();
        if (made == 409) {
            admin().body(Map.of("users", List.of(users))).post("/hub/api/groups/" + name + "/users").then().statusCode(200);
        } else {
            assertEquals(201, made);
        }
    }

    /** The login cookie of a browser signed in as {@code name} (the dev sign-in form), with its XSRF value. */
    static io.restassured.specification.RequestSpecification browser(String name) {
        String xsrf = given().get("/hub/login").then().statusCode(200).extract().cookie("_xsrf");
        String login = given().redirects().follow(false).cookie("_xsrf", xsrf)
                .formParams(Map.of("username", name, "_xsrf", xsrf, "next", "/hub/home")).post("/hub/login")
                .then().statusCode(302).extract().cookie("jupyterhub-hub-login");
        return given().redirects().follow(false).cookie("jupyterhub-hub-login", login).cookie("_xsrf", xsrf).accept("text/html");
    }

    static String server(String user) {
        return "/hub/api/users/" + user + "/server";
    }

    @Test
    void sessionsAreRecordedWithTheirStopReasonAndReportedToTheSecond() throws Exception {
        group("optics", "ann@example.com");
        String ann = userWithToken("ann@example.com");
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        as(ann).body(T4).post(server("ann@example.com")).then().statusCode(201);
        Thread.sleep(1200);
        as(ann).delete(server("ann@example.com")).then().statusCode(204);
        admin().body(CPU).post(server("ann@example.com")).then().statusCode(201);
        admin().delete(server("ann@example.com")).then().statusCode(204);

        JsonPath usage = admin().queryParam("user", "ann@example.com").queryParam("from", from.toString())
                .queryParam("sessions", "true").queryParam("by", "profile").get("/hub/api/usage")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> sessions = usage.getList("sessions");
        assertEquals(2, sessions.size(), usage.prettify());
        assertEquals("gpu-t4", sessions.get(0).get("profile"));
        assertEquals("nvidia-tesla-t4", sessions.get(0).get("gpu"));
        assertEquals(1, sessions.get(0).get("gpus"));
        assertEquals(List.of("optics"), sessions.get(0).get("groups"));
        assertEquals("user", sessions.get(0).get("stop_reason"));
        assertEquals("cpu", sessions.get(1).get("profile"));
        assertEquals("admin", sessions.get(1).get("stop_reason"));
        long seconds = sessions.stream().mapToLong(s -> ((Number) s.get("seconds_in_window")).longValue()).sum();
        assertEquals(seconds, usage.getLong("total.server_seconds"));
        long gpuSeconds = ((Number) sessions.get(0).get("seconds_in_window")).longValue();
        assertTrue(gpuSeconds >= 1, usage.prettify());
        assertEquals(gpuSeconds, usage.getLong("total.gpu_seconds"));
        assertEquals(gpuSeconds / 3600.0, usage.getDouble("total.gpu_hours"), 1e-9);
        assertEquals(List.of("cpu", "gpu-t4"), usage.getList("rows.key"));

        // Clipped to a window that ends before the session did: to the second.
        Instant started = Instant.parse((String) sessions.get(0).get("started"));
        Instant cut = started.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        admin().queryParam("user", "ann@example.com").queryParam("from", from.toString()).queryParam("to", cut.toString())
                .queryParam("by", "user").get("/hub/api/usage").then().statusCode(200)
                .body("total.gpu_seconds", equalTo(1)).body("rows[0].key", equalTo("ann@example.com"));

        // CSV when asked for by name.
        String csv = admin().header("Accept", "text/csv").queryParam("group", "optics").queryParam("from", from.toString())
                .get("/hub/api/usage").then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertTrue(csv.startsWith("group,sessions,gpu_hours,cpu_core_hours,server_hours,gpu_seconds,cpu_core_seconds,server_seconds\r\n"
                + "optics,2,"), csv);
        assertTrue(csv.contains("\r\nTOTAL,2,"), csv);

        // The metric counts the GPU session's seconds for its group.
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("ganymede_usage_gpu_seconds_total{")
                && l.contains("group=\"optics\"") && l.contains("profile=\"gpu-t4\"") && l.contains("gpu=\"nvidia-tesla-t4\"")
                && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) == gpuSeconds), metrics);
    }

    @Test
    void usersSeeTheirOwnUsageOnly() {
        String bo = userWithToken("bo@example.com");
        userWithToken("cy@example.com");
        as(bo).get("/hub/api/usage").then().statusCode(200).body("by", equalTo("group"));
        as(bo).queryParam("user", "bo@example.com").get("/hub/api/usage").then().statusCode(200);
        as(bo).queryParam("user", "cy@example.com").get("/hub/api/usage").then().statusCode(403)
                .body("status", equalTo(403)).body("message", containsString("read:users:activity"));
        admin().queryParam("by", "server").get("/hub/api/usage").then().statusCode(400)
                .body("message", equalTo("by must be user, group or profile, not server"));
        admin().queryParam("from", "yesterday").get("/hub/api/usage").then().statusCode(400)
                .body("message", equalTo("Invalid timestamp for from: yesterday"));
        admin().queryParam("from", "2026-12-02T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z").get("/hub/api/usage")
                .then().statusCode(400).body("message", startsWith("to (2026-12-01T00:00:00Z) must be after from"));
        given().get("/hub/api/usage").then().statusCode(403);
    }

    @Test
    void concurrentGpuAndServerQuotasRefuseWithTheNumbers() {
        group("physics", "dee@example.com", "eli@example.com", "fay@example.com");
        try {
            admin().body(T4).post(server("dee@example.com")).then().statusCode(201);
            admin().body(T4).post(server("eli@example.com")).then().statusCode(403)
                    .body("status", equalTo(403))
                    .body("message", equalTo("Group physics has 1 of 1 GPUs in use at once and this start needs 1 more; "
                            + "GPUs free up when one of the servers using them stops."))
                    .body("quota.group", equalTo("physics")).body("quota.rule", equalTo("concurrent-gpus"))
                    .body("quota.used", equalTo(1.0f)).body("quota.allowed", equalTo(1.0f))
                    .body("quota.frees_at", equalTo(null));
            // Nothing of the refused server exists.
            admin().get("/hub/api/users/eli@example.com").then().body("servers", equalTo(Map.of()));
            admin().body(CPU).post(server("eli@example.com")).then().statusCode(201);
            admin().body(CPU).post(server("fay@example.com")).then().statusCode(403)
                    .body("message", equalTo("Group physics has 2 of 2 servers running at once; one can start when one of them stops."))
                    .body("quota.rule", equalTo("concurrent-servers"));
            admin().delete(server("eli@example.com")).then().statusCode(204);
            admin().body(CPU).post(server("fay@example.com")).then().statusCode(201);
        } finally {
            for (String u : List.of("dee@example.com", "eli@example.com", "fay@example.com")) {
                admin().delete(server(u));
            }
        }
    }

    @Test
    void startsAskedForAtOnceCannotPassALimitTogether() throws Exception {
        List<String> users = List.of("gus@example.com", "hana@example.com", "ivo@example.com");
        group("rush", users.toArray(String[]::new));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (String u : users) {
                answers.add(pool.submit(() -> admin().body(CPU).post(server(u)).then().extract().statusCode()));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var a : answers) {
                statuses.add(a.get());
            }
            assertEquals(2, statuses.stream().filter(st -> st == 201 || st == 202).count(), statuses.toString());
            assertEquals(1, statuses.stream().filter(st -> st == 403).count(), statuses.toString());
        } finally {
            pool.shutdown();
            for (String u : users) {
                admin().delete(server(u));
            }
        }
    }

    @Test
    void theSpawnPageAndTheHomePageShowTheQuotaState() throws Exception {
        group("physics", "nia@example.com");
        try {
            admin().body(T4).post(server("nia@example.com")).then().statusCode(201);
            String spawn = browser("nia@example.com").get("/hub/spawn/nia@example.com/second").then().statusCode(200).extract().asString();
            // The GPU profile's card says the GPUs in use against the group's limit; the CPU card does not.
            String gpuCard = spawn.substring(spawn.indexOf("data-profile=\"gpu-t4\""));
            assertTrue(gpuCard.contains("<p class=\"quota\">1 of 1 GPUs in use (group physics)</p>"), spawn);
            String cpuCard = spawn.substring(spawn.indexOf("data-profile=\"cpu\""), spawn.indexOf("data-profile=\"gpu-t4\""));
            assertTrue(!cpuCard.contains("class=\"quota\""), cpuCard);
            String home = browser("nia@example.com").get("/hub/home").then().statusCode(200).extract().asString();
            assertTrue(home.contains("id=\"usage-month\""), home);
            assertTrue(home.contains("<p class=\"small quota\">1 of 1 GPUs in use (group physics)</p>"), home);
        } finally {
            admin().delete(server("nia@example.com"));
        }
    }

    @Test
    void gpuHoursPerMonthRefuseGpuStartsUntilNextMonth() throws Exception {
        group("chem", "gil@example.com");
        admin().body(T4).post(server("gil@example.com")).then().statusCode(201);
        Thread.sleep(2100);
        admin().delete(server("gil@example.com")).then().statusCode(204);
        JsonPath refused = admin().body(T4).post(server("gil@example.com")).then().statusCode(403).extract().jsonPath();
        assertEquals("gpu-hours-per-month", refused.getString("quota.rule"));
        assertTrue(refused.getDouble("quota.used") >= 0.0002, refused.prettify());
        assertEquals(0.0002, refused.getDouble("quota.allowed"), 1e-12);
        assertEquals("GPU-hours", refused.getString("quota.unit"));
        Instant next = io.ganymede.hub.usage.Usage.nextMonthStart(Instant.now());
        assertEquals(next.toString(), refused.getString("quota.frees_at"));
        assertTrue(refused.getString("message").startsWith("Group chem has used "), refused.prettify());
        assertTrue(refused.getString("message").endsWith(" of 0 GPU-hours this month; GPU servers can start again on " + next + "."),
                refused.prettify());
        // CPU servers are not counted against GPU-hours.
        admin().body(CPU).post(server("gil@example.com")).then().statusCode(201);
        admin().delete(server("gil@example.com")).then().statusCode(204);
    }

    @Inject
    QuotaStops quotaStops;

    @Inject
    CullNotices notices;

    @Test
    void aRunningServerIsWarnedThenStoppedWhenItsGroupsGpuHoursRunOut() throws Exception {
        group("geology", "max@example.com");
        List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        var listening = notices.events("max@example.com").subscribe().with(events::add);
        try {
            admin().body(T4).post(server("max@example.com")).then().statusCode(201);
            assertEquals(0, quotaStops.pass());
            Map<String, Object> warning = events.stream().filter(e -> "cull_warning".equals(e.get("type"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no warning: " + events));
            assertEquals("quota", warning.get("reason"));
            Instant end = Instant.parse((String) warning.get("cull_at"));
            assertTrue(end.isBefore(Instant.now().plusSeconds(11)), warning.toString());
            assertEquals("Your server will be stopped at " + warning.get("cull_at") + ", when its group's GPU-hours run out.",
                    warning.get("message"));
            Thread.sleep(Math.max(0, end.toEpochMilli() - System.currentTimeMillis() + 1100));
            assertEquals(1, quotaStops.pass());
            admin().get("/hub/api/users/max@example.com").then().body("servers", equalTo(Map.of()));
            admin().queryParam("user", "max@example.com").queryParam("sessions", "true").get("/hub/api/usage").then()
                    .body("sessions.stop_reason", org.hamcrest.Matchers.contains("quota"));
            assertTrue(events.stream().anyMatch(e -> "culled".equals(e.get("type")) && "quota".equals(e.get("reason"))), events.toString());
        } finally {
            listening.cancel();
            admin().delete(server("max@example.com"));
        }
    }

    @Inject
    io.ganymede.hub.schedules.ScheduledStarts scheduledStarts;

    @Test
    void aGroupsScheduleNamingItsReservationStartsOnlyInsideTheWindow() throws Exception {
        group("course", "ola@example.com");
        group("other-course", "pia@example.com");
        Instant now = Instant.now();
        int open = admin().body(Map.of("group", "course", "gpu", "nvidia-l4", "gpus", 1,
                "start", now.minusSeconds(5).toString(), "end", now.plusSeconds(600).toString()))
                .post("/hub/api/reservations").then().statusCode(201).extract().path("id");
        int later = admin().body(Map.of("group", "course", "gpu", "nvidia-l4", "gpus", 1,
                "start", now.plusSeconds(3600).toString(), "end", now.plusSeconds(7200).toString()))
                .post("/hub/api/reservations").then().statusCode(201).extract().path("id");
        try {
            Map<String, Object> weekly = Map.of("cron", "0 9 * * 1", "time_zone", "UTC", "user_options", CPU);
            admin().body(with(weekly, "reservation", open)).post("/hub/api/groups/other-course/schedules").then().statusCode(400)
                    .body("message", equalTo("Group other-course has no reservation " + open));
            admin().body(with(weekly, "reservation", "soon")).post("/hub/api/groups/course/schedules").then().statusCode(400)
                    .body("message", equalTo("reservation must be a reservation's id, not soon"));
            admin().body(with(weekly, "reservation", open)).post("/hub/api/users/ola@example.com/schedules").then().statusCode(400)
                    .body("message", equalTo("Only a group's schedules can name a reservation"));
            int inside = admin().body(with(weekly, "reservation", open)).post("/hub/api/groups/course/schedules").then().statusCode(201)
                    .body("reservation", equalTo(open)).extract().path("id");
            int outside = admin().body(with(weekly, "reservation", later)).post("/hub/api/groups/course/schedules").then().statusCode(201)
                    .extract().path("id");
            // Both due now: the one inside its reservation's window starts Ola's server, the other nothing.
            io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> io.ganymede.hub.persistence.ScheduleEntity
                    .update("nextRun = ?1 where id in ?2", Instant.now().minusSeconds(1), List.of((long) inside, (long) outside)));
            assertEquals(2, scheduledStarts.tick().size());
            long until = System.nanoTime() + 30_000_000_000L;
            while (!Boolean.TRUE.equals(admin().get("/hub/api/users/ola@example.com").then().extract().path("servers.''.ready"))) {
                assertTrue(System.nanoTime() < until, "the schedule inside its window started nothing");
                Thread.sleep(100);
            }
            admin().delete(server("ola@example.com")).then().statusCode(204);
            // Only one start: the schedule outside its window started none.
            admin().queryParam("user", "ola@example.com").queryParam("sessions", "true").get("/hub/api/usage").then()
                    .body("sessions.size()", equalTo(1));
            // A schedule goes with its reservation.
            admin().delete("/hub/api/reservations/" + later).then().statusCode(204);
            admin().get("/hub/api/groups/course/schedules/" + outside).then().statusCode(404);
        } finally {
            admin().delete("/hub/api/reservations/" + open);
            admin().delete("/hub/api/reservations/" + later);
            admin().delete(server("ola@example.com"));
        }
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> more = new java.util.LinkedHashMap<>(body);
        more.put(key, value);
        return more;
    }

    @Test
    void reservationsAreRefusedWhenTheClusterCannotHonourThem() {
        group("astro", "hal@example.com");
        group("geo", "ida@example.com");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> oneT4 = Map.of("group", "astro", "gpu", "nvidia-tesla-t4", "gpus", 1,
                "start", now.plusSeconds(3600).toString(), "end", now.plusSeconds(7200).toString(), "note", "course");
        int id = admin().body(oneT4).post("/hub/api/reservations").then().statusCode(201)
                .body("group", equalTo("astro")).body("gpus", equalTo(1)).body("active", equalTo(false))
                .body("note", equalTo("course")).body("created_by", org.hamcrest.Matchers.notNullValue()).extract().path("id");
        try {
            // Overlapping: 1 + 2 > 2 at 01:30.
            admin().body(Map.of("group", "geo", "gpu", "nvidia-tesla-t4", "gpus", 2,
                    "start", now.plusSeconds(5400).toString(), "end", now.plusSeconds(9000).toString()))
                    .post("/hub/api/reservations").then().statusCode(409)
                    .body("message", startsWith("Cannot reserve 2 T4 GPUs from " + now.plusSeconds(5400) + " to "
                            + now.plusSeconds(9000) + ": 1 of the cluster's 2 are already reserved then (astro 1 from "))
                    .body("reserved", equalTo(1)).body("cluster", equalTo(2)).body("requested", equalTo(2));
            // Right after it ends (half-open windows): fits.
            int after = admin().body(Map.of("group", "geo", "gpu", "nvidia-tesla-t4", "gpus", 2,
                    "start", now.plusSeconds(7200).toString(), "end", now.plusSeconds(9000).toString()))
                    .post("/hub/api/reservations").then().statusCode(201).extract().path("id");
            admin().delete("/hub/api/reservations/" + after).then().statusCode(204);
            admin().body(Map.of("group", "geo", "gpu", "nvidia-tesla-t4", "gpus", 3, "end", now.plusSeconds(60).toString()))
                    .post("/hub/api/reservations").then().statusCode(400)
                    .body("message", equalTo("Cannot reserve 3 T4 GPUs: the cluster has 2"));
            admin().body(Map.of("group", "geo", "gpu", "nvidia-h100", "gpus", 1, "end", now.plusSeconds(60).toString()))
                    .post("/hub/api/reservations").then().statusCode(400)
                    .body("message", equalTo("The cluster has no nvidia-h100 GPUs (it has: nvidia-l4: 1, nvidia-tesla-t4: 2)"));
            admin().body(Map.of("group", "geo", "gpu", "nvidia-l4", "gpus", 1, "start", now.plusSeconds(60).toString(),
                    "end", now.toString())).post("/hub/api/reservations").then().statusCode(400)
                    .body("message", startsWith("end (" + now + ") must be after start"));
            admin().body(Map.of("group", "nobody", "gpu", "nvidia-l4", "gpus", 1, "end", now.plusSeconds(60).toString()))
                    .post("/hub/api/reservations").then().statusCode(404).body("message", equalTo("No such group: nobody"));
            admin().body(Map.of("group", "geo", "gpu", "nvidia-l4", "gpus", "one", "end", now.plusSeconds(60).toString()))
                    .post("/hub/api/reservations").then().statusCode(400).body("message", equalTo("gpus must be a whole number, not one"));
            String hal = userWithToken("hal@example.com");
            as(hal).body(oneT4).post("/hub/api/reservations").then().statusCode(403);
            as(hal).get("/hub/api/reservations").then().statusCode(403);
            admin().get("/hub/api/reservations").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(id));
            admin().get("/hub/api/reservations/" + id).then().statusCode(200).body("end", equalTo(now.plusSeconds(7200).toString()));
        } finally {
            admin().delete("/hub/api/reservations/" + id).then().statusCode(204);
        }
        admin().get("/hub/api/reservations/" + id).then().statusCode(404);
        admin().get("/hub/api/reservations/x").then().statusCode(404);
    }

    @Test
    void reservedGpusAreHeldFromOthersMembersGetThemAndTheyFreeUpWhenTheWindowEnds() throws Exception {
        group("bio", "jo@example.com");
        group("math", "kai@example.com", "lu@example.com");
        Instant now = Instant.now();
        int id = admin().body(Map.of("group", "bio", "gpu", "nvidia-tesla-t4", "gpus", 1,
                        "start", now.minusSeconds(1).toString(), "end", now.plusSeconds(8).toString()))
                .post("/hub/api/reservations").then().statusCode(201).body("active", equalTo(true)).extract().path("id");
        try {
            admin().body(T4).post(server("kai@example.com")).then().statusCode(201);
            JsonPath refused = admin().body(T4).post(server("lu@example.com")).then().statusCode(403).extract().jsonPath();
            assertTrue(refused.getString("message").startsWith("No T4 GPU is free for you now: 1 of the 1 free T4 GPUs are reserved "
                    + "(group bio until "), refused.prettify());
            assertEquals(List.of("bio"), refused.getList("reservation.groups"));
            assertEquals(1, refused.getInt("reservation.reserved_for_others"));
            assertEquals(1, refused.getInt("reservation.free"));
            // The member is admitted against the reservation.
            admin().body(T4).post(server("jo@example.com")).then().statusCode(201);
            admin().delete(server("jo@example.com")).then().statusCode(204);
            // Once it expires, nothing is held.
            Instant end = Instant.parse(admin().get("/hub/api/reservations/" + id).then().extract().path("end"));
            Thread.sleep(Math.max(0, end.toEpochMilli() - System.currentTimeMillis() + 200));
            admin().get("/hub/api/reservations/" + id).then().statusCode(200).body("active", equalTo(false));
            admin().get("/hub/api/reservations").then().body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
            admin().queryParam("include_past", "true").get("/hub/api/reservations").then().body("id", org.hamcrest.Matchers.hasItem(id));
            admin().body(T4).post(server("lu@example.com")).then().statusCode(201);
        } finally {
            for (String u : List.of("jo@example.com", "kai@example.com", "lu@example.com")) {
                admin().delete(server(u));
            }
        }
    }
}
