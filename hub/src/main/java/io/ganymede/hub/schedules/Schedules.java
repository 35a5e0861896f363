package io.ganymede.hub.schedules;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.api.JsonBody;
import io.ganymede.hub.api.UserNames;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ScheduleEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawn.ServerSpecs;
import io.ganymede.hub.spawn.SpawnConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creating, listing and deleting users' schedules, with every input checked before anything is stored. */
@ApplicationScoped
public class Schedules {

    private final ServerSpecs specs;
    private final SpawnConfig spawnConfig;
    private final SchedulesConfig config;
    private final Clock clock;

    Schedules(ServerSpecs specs, SpawnConfig spawnConfig, SchedulesConfig config, Clock clock) {
        this.specs = specs;
        this.spawnConfig = spawnConfig;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A new schedule from {@code {"server_name", "cron", "time_zone", "user_options"}}.
     *
     * @throws ApiException 400 for a bad cron, unknown zone, unknown profile or option; 403 for a profile
     *     the user may not use; 404 for an unknown user
     */
    public Map<String, Object> create(String userName, Map<String, Object> body) {
        String serverName = string(body, "server_name", "");
        if (!serverName.isEmpty()) {
            if (!spawnConfig.allowNamedServers()) {
                throw ApiException.badRequest("Named servers are not enabled.");
            }
            UserNames.serverName(serverName);
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(string(body, "cron", null), string(body, "time_zone", null));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Object rawOptions = body.get("user_options");
        if (rawOptions != null && !(rawOptions instanceof Map)) {
            throw ApiException.badRequest("user_options must be a dict, e.g. {\"profile\": \"gpu-t4\"}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> options = rawOptions == null ? new LinkedHashMap<>() : (Map<String, Object>) rawOptions;
        // The same check a start makes, now rather than at 08:45 when nobody is watching.
        specs.resolve(userName, options);
        Instant now = clock.instant();
        Instant next = schedule.nextAfter(now).orElseThrow(() -> ApiException.badRequest(
                "cron expression '" + schedule.expression() + "' never fires"));
        return QuarkusTransaction.requiringNew().call(() -> store(userName, serverName, schedule, options, next, now));
    }

    private Map<String, Object> store(String userName, String serverName, CronSchedule schedule, Map<String, Object> options,
            Instant next, Instant now) {
        UserEntity user = JsonBody.user(userName);
        if (ScheduleEntity.count("user", user) >= config.maxPerUser()) {
            throw ApiException.badRequest(userName + " already has the maximum of " + config.maxPerUser() + " schedules");
        }
        ScheduleEntity entity = new ScheduleEntity();
        entity.user = user;
        entity.serverName = serverName;
        entity.cron = schedule.expression();
        entity.timeZone = schedule.zone().getId();
        entity.userOptions = JsonColumns.write(options);
        entity.nextRun = next;
        entity.created = now;
        entity.persist();
        return model(entity);
    }

    @Transactional
    public List<Map<String, Object>> list(String userName) {
        UserEntity user = JsonBody.user(userName);
        return ScheduleEntity.<ScheduleEntity>list("user = ?1 order by id", user).stream().map(Schedules::model).toList();
    }

    @Transactional
    public Map<String, Object> get(String userName, String id) {
        return model(find(userName, id));
    }

    @Transactional
    public void delete(String userName, String id) {
        find(userName, id).delete();
    }

    private static ScheduleEntity find(String userName, String id) {
        UserEntity user = JsonBody.user(userName);
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No such schedule: " + id);
        }
        return ScheduleEntity.<ScheduleEntity>find("id = ?1 and user = ?2", number, user).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound(userName + " has no schedule " + id));
    }

    public static Map<String, Object> model(ScheduleEntity s) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", s.id);
        model.put("server_name", s.serverName);
        model.put("cron", s.cron);
        model.put("time_zone", s.timeZone);
        model.put("user_options", JsonColumns.object(s.userOptions));
        model.put("next_run", ApiModels.iso(s.nextRun));
        model.put("last_run", ApiModels.iso(s.lastRun));
        model.put("created", ApiModels.iso(s.created));
        return model;
    }

    private static String string(Map<String, Object> body, String key, String fallback) {
        Object value = body.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw ApiException.badRequest(key + " must be a string, not " + value);
        }
        return text;
    }
}
