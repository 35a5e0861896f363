package io.ganymede.hub.schedules;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.persistence.ScheduleEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scheduled starts through the API, and the leader's tick starting what is due. */
@QuarkusTest
@TestProfile(SchedulesProfile.class)
class SchedulesTest {

    @Inject
    ScheduledStarts starts;

    @Test
    void createListGetDeleteWithClearErrors() {
        String token = userWithToken("sam");
        Map<String, Object> created = ScheduleChecks.createWeekdayMornings(as(token), "/hub/api/users/sam/schedules", "patient");
        String id = String.valueOf(created.get("id"));

        ScheduleChecks.refusesBadInput(() -> as(token), "/hub/api/users/sam/schedules");

        as(token).get("/hub/api/users/sam/schedules").then().statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(created.get("id")));
        as(token).get("/hub/api/users/sam/schedules/" + id).then().statusCode(200).body("cron", equalTo("45 8 * * MON-FRI"));
        as(token).get("/hub/api/users/sam/schedules/nope").then().statusCode(404);

        String other = userWithToken("tia");
        as(other).get("/hub/api/users/sam/schedules").then().statusCode(404);
        as(other).body(Map.of("cron", "45 8 * * *", "time_zone", "UTC")).post("/hub/api/users/sam/schedules").then().statusCode(404);
        as(other).delete("/hub/api/users/sam/schedules/" + id).then().statusCode(404);
        admin().get("/hub/api/users/sam/schedules/" + id).then().statusCode(200);

        as(token).delete("/hub/api/users/sam/schedules/" + id).then().statusCode(204);
        as(token).get("/hub/api/users/sam/schedules/" + id).then().statusCode(404);
    }

    @Test
    void theLeaderStartsDueServersAndSkipsMissedRuns() throws Exception {
        String token = userWithToken("una");
        Number id = as(token).body(Map.of("cron", "*/5 * * * *", "time_zone", "Europe/Paris"))
                .post("/hub/api/users/una/schedules").then().statusCode(201).extract().path("id");

        // A run missed by more than the grace (the hub was down): skipped, not replayed, moved on.
        due(id.longValue(), Instant.now().minus(Duration.ofMinutes(30)));
        List<ScheduledStarts.Due> ticked = starts.tick();
        assertTrue(ticked.stream().anyMatch(d -> d.id() == id.longValue() && d.missed()), ticked.toString());
        Thread.sleep(500);
        admin().get("/hub/api/users/una").then().body("servers", equalTo(Map.of()));
        Map<String, Object> schedule = as(token).get("/hub/api/users/una/schedules/" + id).then().extract().as(Map.class);
        assertEquals(null, schedule.get("last_run"));
        assertTrue(Instant.parse((String) schedule.get("next_run")).isAfter(Instant.now()), schedule.toString());

        // Due now: started.
        due(id.longValue(), Instant.now().minusSeconds(1));
        ticked = starts.tick();
        assertTrue(ticked.stream().anyMatch(d -> d.id() == id.longValue() && !d.missed()), ticked.toString());
        for (int i = 0; i < 100; i++) {
            Boolean ready = admin().get("/hub/api/users/una").then().extract().path("servers.''.ready");
            if (Boolean.TRUE.equals(ready)) {
                break;
            }
            Thread.sleep(200);
        }
        admin().get("/hub/api/users/una").then().body("servers.''.ready", equalTo(true));
        String started = admin().get("/hub/api/users/una").then().extract().path("servers.''.started");
        as(token).get("/hub/api/users/una/schedules/" + id).then().body("last_run", notNullValue());

        // Due again while running: left alone (not restarted).
        due(id.longValue(), Instant.now().minusSeconds(1));
        starts.tick();
        Thread.sleep(1000);
        admin().get("/hub/api/users/una").then().body("servers.''.started", equalTo(started));
        admin().delete("/hub/api/users/una/server").then().statusCode(204);
    }

    private static void due(long id, Instant when) {
        QuarkusTransaction.requiringNew().run(() -> ScheduleEntity.<ScheduleEntity>findById(id).nextRun = when);
    }
}
