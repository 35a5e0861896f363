package io.ganymede.hub.schedules;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.function.Supplier;

/** What every schedules endpoint answers alike, whether a user or a group owns the schedules. */
final class ScheduleChecks {

    private ScheduleChecks() {}

    /** Makes weekdays 08:45 in Tokyo with {@code profile} and checks the model it answers with. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> createWeekdayMornings(RequestSpecification caller, String url, String profile) {
        Map<String, Object> created = caller.body(Map.of("server_name", "", "cron", "45 8 * * MON-FRI",
                        "time_zone", "Asia/Tokyo", "user_options", Map.of("profile", profile)))
                .post(url).then().statusCode(201)
                .body("id", notNullValue())
                .body("server_name", equalTo(""))
                .body("cron", equalTo("45 8 * * MON-FRI"))
                .body("time_zone", equalTo("Asia/Tokyo"))
                .body("user_options.profile", equalTo(profile))
                .body("last_run", nullValue())
                .body("created", notNullValue())
                .extract().as(Map.class);
        ZonedDateTime next = Instant.parse((String) created.get("next_run")).atZone(ZoneId.of("Asia/Tokyo"));
        assertEquals(8, next.getHour());
        assertEquals(45, next.getMinute());
        return created;
    }

    /** The 400s, each with JupyterHub's error body, for a bad cron, zone, profile, options or body. */
    static void refusesBadInput(Supplier<RequestSpecification> caller, String url) {
        caller.get().body(Map.of("cron", "45 8 * *", "time_zone", "UTC")).post(url).then().statusCode(400)
                .body("status", equalTo(400)).body("message", containsString("5 fields"));
        caller.get().body(Map.of("cron", "99 8 * * *", "time_zone", "UTC")).post(url).then().statusCode(400)
                .body("message", containsString("Invalid cron expression"));
        caller.get().body(Map.of("cron", "45 8 * * *", "time_zone", "Asia/Atlantis")).post(url).then().statusCode(400)
                .body("message", containsString("Unknown time_zone"));
        caller.get().body(Map.of("cron", "45 8 * * *", "time_zone", "UTC", "user_options", Map.of("profile", "huge")))
                .post(url).then().statusCode(400).body("message", containsString("No such profile: huge"));
        caller.get().body(Map.of("cron", "45 8 * * *", "time_zone", "UTC", "user_options", "gpu"))
                .post(url).then().statusCode(400).body("message", containsString("user_options must be a dict"));
        caller.get().body("[1]").post(url).then().statusCode(400).body("message", containsString("JSON dict"));
        // Valid, and longer than its column: every minute, hour and day listed.
        String longCron = list(0, 59) + " " + list(0, 23) + " " + list(1, 31) + " * *";
        caller.get().body(Map.of("cron", longCron, "time_zone", "UTC")).post(url).then().statusCode(400)
                .body("message", equalTo("cron is too long: " + longCron.length() + " characters, at most 255"));
    }

    private static String list(int first, int last) {
        return java.util.stream.IntStream.rangeClosed(first, last).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(","));
    }
}
