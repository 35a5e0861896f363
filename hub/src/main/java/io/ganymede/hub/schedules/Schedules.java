package io.ganymede.hub.schedules;

import io.ganymede.hub.persistence.ServerEntity;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.api.JsonBody;
import io.ganymede.hub.api.Lengths;
import io.ganymede.hub.api.UserNames;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.ReservationEntity;
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

/**
 * Creating, listing and deleting schedules, a user's own or a group's, with every input checked
 * before anything is stored.
 */
@ApplicationScoped
public class Schedules {

    /** Whose schedules: one user's own, or one group's (started for every member). */
    public record Owner(String user, String group) {

        public static Owner user(String name) {
            return new Owner(name, null);
        }

        public static Owner group(String name) {
            return new Owner(null, name);
        }

        static Owner of(ScheduleEntity schedule) {
            return schedule.userGroup == null ? user(schedule.user.name) : group(schedule.userGroup.name);
        }

        /** How messages name it: {@code sam} or {@code group ds}. */
        String label() {
            return group == null ? user : "group " + group;
        }

        /** The entity field that refers to the owner, in queries. */
        private String field() {
            return group == null ? "user" : "userGroup";
        }

        /** The owner's row; 404 when there is none. */
        private Object entity() {
            return group == null ? JsonBody.user(user)
                    : GroupEntity.findByName(group).orElseThrow(() -> ApiException.notFound("No such group: " + group));
        }
    }

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
     * A new schedule from {@code {"server_name", "cron", "time_zone", "user_options"}}, and for a
     * group optionally {@code "reservation"}: the id of one of its GPU reservations, outside whose
     * window its runs start nothing.
     *
     * @throws ApiException 400 for a bad cron, unknown zone, unknown profile or option (or, for a
     *     group, a profile not every member may use); 403 for a profile the user may not use; 404
     *     for an unknown user or group
     */
    public Map<String, Object> create(Owner owner, Map<String, Object> body) {
        String serverName = string(body, "server_name", "");
        if (!serverName.isEmpty()) {
            if (!spawnConfig.allowNamedServers()) {
                throw ApiException.badRequest("Named servers are not enabled.");
            }
            // A schedule may create the server: a new one's name follows the rule a start's would.
            boolean exists = owner.group() == null && QuarkusTransaction.requiringNew().call(() -> ServerEntity
                    .count("user.name = ?1 and name = ?2", owner.user(), serverName) > 0);
            if (exists || spawnConfig.newServerNames() == SpawnConfig.ServerNameRule.JUPYTERHUB_5) {
                UserNames.serverName(serverName);
            } else {
                UserNames.newServerName(serverName);
            }
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(Lengths.check("cron", string(body, "cron", null), ScheduleEntity.CRON_LENGTH),
                    Lengths.check("time_zone", string(body, "time_zone", null), ScheduleEntity.TIME_ZONE_LENGTH));
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
        if (owner.group() == null) {
            specs.resolve(owner.user(), options);
        } else {
            QuarkusTransaction.requiringNew().run(owner::entity);
            specs.checkForGroup(owner.group(), options);
        }
        Instant now = clock.instant();
        Instant next = schedule.nextAfter(now).orElseThrow(() -> ApiException.badRequest(
                "cron expression '" + schedule.expression() + "' never fires"));
        Object reservation = body.get("reservation");
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Object> made = store(owner, serverName, schedule, options, next, now);
            if (reservation != null) {
                ScheduleEntity created = ScheduleEntity.findById(((Number) made.get("id")).longValue());
                created.reservation = reservation(owner, reservation);
                made.put("reservation", created.reservation.id);
            }
            return made;
        });
    }

    /** The reservation a group's schedule names: one of the group's own. */
    private static ReservationEntity reservation(Owner owner, Object id) {
        if (owner.group() == null) {
            throw ApiException.badRequest("Only a group's schedules can name a reservation");
        }
        if (!(id instanceof Integer || id instanceof Long)) {
            throw ApiException.badRequest("reservation must be a reservation's id, not " + id);
        }
        return ReservationEntity.<ReservationEntity>findByIdOptional(((Number) id).longValue())
                .filter(r -> r.group.name.equals(owner.group()))
                .orElseThrow(() -> ApiException.badRequest("Group " + owner.group() + " has no reservation " + id));
    }

    private Map<String, Object> store(Owner owner, String serverName, CronSchedule schedule, Map<String, Object> options,
            Instant next, Instant now) {
        Object entity = owner.entity();
        int most = owner.group() == null ? config.maxPerUser() : config.maxPerGroup();
        if (ScheduleEntity.count(owner.field(), entity) >= most) {
            throw ApiException.badRequest(owner.label() + " already has the maximum of " + most + " schedules");
        }
        ScheduleEntity created = new ScheduleEntity();
        if (entity instanceof GroupEntity group) {
            created.userGroup = group;
        } else {
            created.user = (UserEntity) entity;
        }
        created.serverName = serverName;
        created.cron = schedule.expression();
        created.timeZone = schedule.zone().getId();
        created.userOptions = JsonColumns.write(options);
        created.nextRun = next;
        created.created = now;
        created.persist();
        return model(created);
    }

    @Transactional
    public List<Map<String, Object>> list(Owner owner) {
        return ScheduleEntity.<ScheduleEntity>list(owner.field() + " = ?1 order by id", owner.entity()).stream()
                .map(Schedules::model).toList();
    }

    /** The schedules of the groups a user is in, each model with its {@code group}, for their home page. */
    @Transactional
    public List<Map<String, Object>> ofGroupsOf(UserEntity user) {
        if (user.groups.isEmpty()) {
            return List.of();
        }
        return ScheduleEntity.<ScheduleEntity>list("userGroup in ?1 order by userGroup.name, id", user.groups).stream()
                .map(s -> {
                    Map<String, Object> model = model(s);
                    model.put("group", s.userGroup.name);
                    return model;
                }).toList();
    }

    @Transactional
    public Map<String, Object> get(Owner owner, String id) {
        return model(find(owner, id));
    }

    @Transactional
    public void delete(Owner owner, String id) {
        find(owner, id).delete();
    }

    private static ScheduleEntity find(Owner owner, String id) {
        Object entity = owner.entity();
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No such schedule: " + id);
        }
        return ScheduleEntity.<ScheduleEntity>find("id = ?1 and " + owner.field() + " = ?2", number, entity)
                .firstResultOptional().orElseThrow(() -> ApiException.notFound(owner.label() + " has no schedule " + id));
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
        model.put("reservation", s.reservation == null ? null : s.reservation.id);
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
