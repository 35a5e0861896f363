package io.ganymede.hub.api;

import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.fairuse.Reservation;
import io.ganymede.hub.fairuse.Reservations;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.ReservationEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Target;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /hub/api/reservations} (a Ganymede extension): GPUs of a type held for a group's members
 * from one time to another. Making and removing one takes {@code admin:groups}, as a group's
 * other settings; reading takes {@code read:groups}, and shows the groups the caller may read.
 */
@Path("/hub/api/reservations")
@Produces(MediaType.APPLICATION_JSON)
public class ReservationsResource {

    private static final Set<String> KEYS = Set.of("group", "gpu", "gpus", "start", "end", "note");

    private final Reservations reservations;
    private final CurrentCaller caller;
    private final Clock clock;

    ReservationsResource(Reservations reservations, CurrentCaller caller, Clock clock) {
        this.reservations = reservations;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @NeedsScope("read:groups")
    public List<Map<String, Object>> list(@QueryParam("include_past") String includePast) {
        var permissions = caller.require().permissions();
        return reservations.list("true".equals(includePast)).stream()
                .filter(r -> permissions.allows("read:groups", Target.group(r.group())))
                .map(this::model).toList();
    }

    @POST
    @NeedsScope("admin:groups")
    public Response create(String body) {
        Map<String, Object> b = JsonBody.object(body);
        for (String key : b.keySet()) {
            if (!KEYS.contains(key)) {
                throw ApiException.badRequest("Unknown key " + key + "; a reservation has " + KEYS.stream().sorted().toList());
            }
        }
        String group = text(b, "group", GroupEntity.NAME_LENGTH, true);
        String gpu = text(b, "gpu", 255, true);
        if (!(b.get("gpus") instanceof Integer gpus)) {
            throw ApiException.badRequest("gpus must be a whole number, not " + b.get("gpus"));
        }
        if (!caller.require().permissions().allows("admin:groups", Target.group(group))) {
            throw new ApiException(403, "Action is not authorized with current scopes; requires any of [admin:groups] on group " + group);
        }
        Instant start = b.get("start") == null ? clock.instant() : JsonBody.time(b.get("start"), "start");
        if (b.get("end") == null) {
            throw ApiException.badRequest("end is required: when the reservation ends (ISO 8601)");
        }
        Instant end = JsonBody.time(b.get("end"), "end");
        String note = text(b, "note", ReservationEntity.NOTE_LENGTH, false);
        Reservation made = reservations.create(new Reservations.Request(group, gpu, gpus, start, end, note, caller.require().name()));
        return Response.status(201).entity(model(made)).build();
    }

    @GET
    @Path("{id}")
    @NeedsScope("read:groups")
    public Map<String, Object> get(@PathParam("id") String id) {
        Reservation r = reservations.get(id(id));
        if (!caller.require().permissions().allows("read:groups", Target.group(r.group()))) {
            throw ApiException.notFound("No such reservation: " + id);
        }
        return model(r);
    }

    @DELETE
    @Path("{id}")
    @NeedsScope("admin:groups")
    public Response delete(@PathParam("id") String id) {
        Reservation r = reservations.get(id(id));
        if (!caller.require().permissions().allows("admin:groups", Target.group(r.group()))) {
            throw new ApiException(403, "Action is not authorized with current scopes; requires any of [admin:groups] on group " + r.group());
        }
        reservations.delete(r.id());
        return Response.noContent().build();
    }

    private Map<String, Object> model(Reservation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("group", r.group());
        m.put("gpu", r.gpuType());
        m.put("gpus", r.gpus());
        m.put("start", ApiModels.iso(r.starts()));
        m.put("end", ApiModels.iso(r.ends()));
        m.put("active", r.activeAt(clock.instant()));
        m.put("note", r.note());
        m.put("created", ApiModels.iso(r.created()));
        m.put("created_by", r.createdBy());
        return m;
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No such reservation: " + id);
        }
    }

    private static String text(Map<String, Object> b, String key, int max, boolean required) {
        Object v = b.get(key);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw ApiException.badRequest(key + " must be a non-empty string, not " + v);
        }
        if (s.length() > max) {
            throw ApiException.badRequest(key + " is longer than " + max + " characters");
        }
        return s;
    }
}
