package io.ganymede.hub.schedules;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.Api;
import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.persistence.ScheduleEntity;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A group's scheduled starts: every status of its API, and a run starting every member's server. */
@QuarkusTest
@TestProfile(SchedulesProfile.class)
class GroupSchedulesTest {

    private static final String HIDDEN = "No access to resources or resources not found";
    private static final Map<String, Object> WEEKDAYS = Map.of("cron", "45 8 * * MON-FRI", "time_zone", "Asia/Tokyo");

    @Inject
    ScheduledStarts starts;

    @Inject
    SpawnCoordinator spawns;

    @Test
    void createListGetDeleteWithClearErrors() {
        admin().body(Map.of("users", List.of())).post("/hub/api/groups/crew").then().statusCode(201);
        String url = "/hub/api/groups/crew/schedules";
        Map<String, Object> created = ScheduleChecks.createWeekdayMornings(admin(), url, "crew-only");
        String id = String.valueOf(created.get("id"));

        // 400: the same checks as a user's schedule, and more.
        ScheduleChecks.refusesBadInput(Api::admin, url);
        admin().body(Map.of("cron", "45 8 * * *")).post(url).then().statusCode(400)
                .body("message", containsString("time_zone is required"));
        admin().body(Map.of("cron", "0 8 30 2 *", "time_zone", "UTC")).post(url).then().statusCode(400)
                .body("message", containsString("never fires"));
        admin().body(Map.of("cron", "45 8 * * *", "time_zone", "UTC", "server_name", "no/slash"))
                .post(url).then().statusCode(400).body("status", equalTo(400));
        // A schedule may create its members' server: its name follows JupyterHub 6's rule, as a start's.
        admin().body(Map.of("cron", "45 8 * * *", "time_zone", "UTC", "server_name", "Exp #1"))
                .post(url).then().statusCode(400).body("message", containsString("Invalid server_name: Exp #1"));
        admin().body(Map.of("cron", 5, "time_zone", "UTC")).post(url).then().statusCode(400)
                .body("message", containsString("cron must be a string"));
        admin().body("{").post(url).then().statusCode(400).body("message", containsString("Invalid JSON"));
        // A profile not every member may use.
        admin().body(Map.of("users", List.of())).post("/hub/api/groups/deck").then().statusCode(201);
        admin().body(Map.of("cron", "45 8 * * *", "time_zone", "UTC", "user_options", Map.of("profile", "crew-only")))
                .post("/hub/api/groups/deck/schedules").then().statusCode(400)
                .body("message", equalTo("Profile crew-only is not available to every member of group deck"));

        // 200 and 404 for what is not there: an unknown group, id or another group's schedule.
        admin().get(url).then().statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(created.get("id")));
        admin().get(url + "/" + id).then().statusCode(200).body("cron", equalTo("45 8 * * MON-FRI"));
        admin().get(url + "/nope").then().statusCode(404).body("message", equalTo("No such schedule: nope"));
        admin().get(url + "/999999").then().statusCode(404).body("message", equalTo("group crew has no schedule 999999"));
        admin().get("/hub/api/groups/deck/schedules/" + id).then().statusCode(404);
        admin().delete("/hub/api/groups/deck/schedules/" + id).then().statusCode(404);
        admin().get("/hub/api/groups/ghosts/schedules").then().statusCode(404).body("message", equalTo("No such group: ghosts"));
        admin().body(WEEKDAYS).post("/hub/api/groups/ghosts/schedules").then().statusCode(404)
                .body("message", equalTo("No such group: ghosts"));
        admin().get("/hub/api/groups/ghosts/schedules/" + id).then().statusCode(404);
        admin().delete("/hub/api/groups/ghosts/schedules/" + id).then().statusCode(404);

        // 403 without read:groups / admin:groups; 404 with them held only for another group.
        String member = userWithToken("gs-member");
        admin().body(Map.of("users", List.of("gs-member"))).post("/hub/api/groups/crew/users").then().statusCode(200);
        as(member).get(url).then().statusCode(403).body("status", equalTo(403));
        as(member).body(WEEKDAYS).post(url).then().statusCode(403);
        as(member).get(url + "/" + id).then().statusCode(403);
        as(member).delete(url + "/" + id).then().statusCode(403);
        given().get(url).then().statusCode(403);
        given().contentType(ContentType.JSON).body(WEEKDAYS).post(url).then().statusCode(403);
        String reader = userWithToken("gs-reader", true, Map.of("scopes", List.of("read:groups!group=crew")));
        as(reader).get(url).then().statusCode(200).body("$", hasSize(1));
        as(reader).get(url + "/" + id).then().statusCode(200);
        as(reader).body(WEEKDAYS).post(url).then().statusCode(403);
        as(reader).delete(url + "/" + id).then().statusCode(403);
        as(reader).get("/hub/api/groups/deck/schedules").then().statusCode(404).body("message", equalTo(HIDDEN));
        String deckAdmin = userWithToken("gs-deck", true, Map.of("scopes", List.of("admin:groups!group=deck")));
        as(deckAdmin).body(WEEKDAYS).post("/hub/api/groups/deck/schedules").then().statusCode(201);
        as(deckAdmin).body(WEEKDAYS).post(url).then().statusCode(404).body("message", equalTo(HIDDEN));
        as(deckAdmin).delete(url + "/" + id).then().statusCode(404).body("message", equalTo(HIDDEN));

        // A group has at most max-per-group (3 here).
        admin().body(WEEKDAYS).post(url).then().statusCode(201);
        admin().body(WEEKDAYS).post(url).then().statusCode(201);
        admin().body(WEEKDAYS).post(url).then().statusCode(400)
                .body("message", equalTo("group crew already has the maximum of 3 schedules"));

        admin().delete(url + "/" + id).then().statusCode(204);
        admin().get(url + "/" + id).then().statusCode(404);

        // Deleting the group deletes its schedules.
        admin().delete("/hub/api/groups/crew").then().statusCode(204);
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> ScheduleEntity.count("userGroup.name", "crew")));
        admin().post("/hub/api/groups/crew").then().statusCode(201);
        admin().get(url).then().statusCode(200).body("$", hasSize(0));
        admin().delete("/hub/api/groups/crew").then().statusCode(204);
    }

    @Test
    void aRunStartsEveryCurrentMembersServerButNotOneAlreadyRunning() throws Exception {
        for (String name : List.of("gr-ann", "gr-ben", "gr-cat", "gr-dov", "gr-eve")) {
            admin().post("/hub/api/users/" + name);
        }
        admin().body(Map.of("users", List.of("gr-ann", "gr-ben", "gr-cat", "gr-eve"))).post("/hub/api/groups/rowers")
                .then().statusCode(201);
        Number id = admin().body(Map.of("cron", "*/5 * * * *", "time_zone", "Europe/Paris"))
                .post("/hub/api/groups/rowers/schedules").then().statusCode(201).extract().path("id");
        // Membership counts at the run, not when the schedule was made.
        admin().body(Map.of("users", List.of("gr-dov"))).post("/hub/api/groups/rowers/users").then().statusCode(200);
        admin().body(Map.of("users", List.of("gr-eve"))).delete("/hub/api/groups/rowers/users").then().statusCode(200);
        startServer(Api.ADMIN_TOKEN, "gr-cat", "");
        String catStarted = started("gr-cat");

        due(id.longValue(), Instant.now().minusSeconds(1));
        List<ScheduledStarts.Due> ticked = starts.tick();
        ScheduledStarts.Due run = ticked.stream().filter(d -> d.id() == id.longValue()).findFirst().orElseThrow();
        assertEquals(List.of("gr-ann", "gr-ben", "gr-cat", "gr-dov"), run.users().stream().sorted().toList());
        assertEquals("group rowers", run.owner());

        // One start at a time here (concurrent-spawn-limit 1): the refused ones ask again until all are up.
        for (String name : List.of("gr-ann", "gr-ben", "gr-dov")) {
            waitReady(name);
        }
        assertEquals(catStarted, started("gr-cat"), "a server already running is left alone");
        admin().get("/hub/api/users/gr-eve").then().body("servers", equalTo(Map.of()));
        admin().get("/hub/api/groups/rowers/schedules/" + id).then().body("last_run", notNullValue());
        for (String name : List.of("gr-ann", "gr-ben", "gr-cat", "gr-dov")) {
            admin().delete("/hub/api/users/" + name + "/server").then().statusCode(204);
        }
    }

    @Test
    void startsAtOnceNeverPassTheConcurrentSpawnLimitTogether() throws Exception {
        List<String> names = List.of("burst-a", "burst-b", "burst-c", "burst-d");
        names.forEach(name -> admin().post("/hub/api/users/" + name));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(names.size());
        try {
            List<Future<Integer>> answers = names.stream().map(name -> threads.submit(() -> {
                go.await();
                try {
                    spawns.start(name, "", Map.of());
                    return 201;
                } catch (ApiException e) {
                    return e.status();
                }
            })).toList();
            go.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            // With a limit of 1, starts asked for at the same moment cannot all pass its check.
            assertTrue(statuses.contains(429), statuses.toString());
            assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 429), statuses.toString());
        } finally {
            threads.shutdown();
            for (String name : names) {
                admin().delete("/hub/api/users/" + name + "/server");
            }
        }
    }

    private static String started(String user) {
        return admin().get("/hub/api/users/" + user).then().extract().path("servers.''.started");
    }

    private static void waitReady(String user) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Boolean ready = admin().get("/hub/api/users/" + user).then().extract().path("servers.''.ready");
            if (Boolean.TRUE.equals(ready)) {
                return;
            }
            Thread.sleep(200);
        }
        admin().get("/hub/api/users/" + user).then().body("servers.''.ready", equalTo(true));
    }

    private static void due(long id, Instant when) {
        QuarkusTransaction.requiringNew().run(() -> ScheduleEntity.<ScheduleEntity>findById(id).nextRun = when);
    }
}
