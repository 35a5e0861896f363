package io.ganymede.hub.fairuse;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.ReservationEntity;
import io.ganymede.hub.spawner.ProfileCapacity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GPU reservations, kept in the database: made only when the cluster can honour them beside the
 * others (never more of a type at one moment than the cluster has).
 */
@ApplicationScoped
public class Reservations {

    /** What a new reservation asks for. */
    public record Request(String group, String gpuType, int gpus, Instant starts, Instant ends, String note, String by) {}

    private final GpuInventory inventory;
    private final Clock clock;

    Reservations(GpuInventory inventory, Clock clock) {
        this.inventory = inventory;
        this.clock = clock;
    }

    /** Reservations not over yet (or all, with those over), earliest first. */
    public List<Reservation> list(boolean withPast) {
        return QuarkusTransaction.requiringNew().call(() -> (withPast
                ? ReservationEntity.<ReservationEntity>list("order by startsAt, id")
                : ReservationEntity.notOver(clock.instant())).stream().map(Reservation::of).toList());
    }

    /** Reservations in force now. */
    public List<Reservation> active() {
        Instant now = clock.instant();
        return list(false).stream().filter(r -> r.activeAt(now)).toList();
    }

    public Reservation get(long id) {
        return QuarkusTransaction.requiringNew().call(() -> ReservationEntity.<ReservationEntity>findByIdOptional(id)
                .map(Reservation::of).orElseThrow(() -> ApiException.notFound("No such reservation: " + id)));
    }

    public void delete(long id) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (!ReservationEntity.deleteById(id)) {
                throw ApiException.notFound("No such reservation: " + id);
            }
        });
    }

    /**
     * Makes a reservation.
     *
     * @throws ApiException 400 for a bad window, count or type, or more GPUs than the cluster has;
     *     404 for an unknown group; 409 when it does not fit beside the reservations it overlaps
     */
    public Reservation create(Request r) {
        Instant now = clock.instant();
        if (r.gpus() < 1) {
            throw ApiException.badRequest("gpus must be at least 1, not " + r.gpus());
        }
        if (!r.ends().isAfter(r.starts())) {
            throw ApiException.badRequest("end (" + r.ends() + ") must be after start (" + r.starts() + ")");
        }
        if (!r.ends().isAfter(now)) {
            throw ApiException.badRequest("end (" + r.ends() + ") is already past");
        }
        if (!inventory.known()) {
            throw ApiException.badRequest("The cluster's GPUs are unknown here (reservations need the kubernetes spawner"
                    + " with ganymede.kubernetes.capacity-enabled)");
        }
        Map<String, Integer> total = inventory.total();
        Integer has = total.get(r.gpuType());
        String name = ProfileCapacity.gpuName(r.gpuType());
        if (has == null || has == 0) {
            throw ApiException.badRequest("The cluster has no " + r.gpuType() + " GPUs (it has: " + describe(total) + ")");
        }
        if (r.gpus() > has) {
            throw ApiException.badRequest("Cannot reserve " + r.gpus() + " " + name + " GPUs: the cluster has " + has);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            GroupEntity group = GroupEntity.findByName(r.group()).orElseThrow(() -> ApiException.notFound("No such group: " + r.group()));
            // Locked, so two reservations made at once do not both count the same free GPUs.
            List<Reservation> others = ReservationEntity.<ReservationEntity>find("gpuType = ?1 and endsAt > ?2", r.gpuType(), r.starts())
                    .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list().stream().map(Reservation::of).toList();
            int peak = ReservationBook.peak(others, r.gpuType(), r.starts(), r.ends());
            if (peak + r.gpus() > has) {
                String who = others.stream().filter(o -> o.overlaps(r.starts(), r.ends()))
                        .map(o -> o.group() + " " + o.gpus() + " from " + o.starts() + " to " + o.ends())
                        .collect(Collectors.joining(", "));
                throw new ApiException(409, "Cannot reserve " + r.gpus() + " " + name + " GPUs from " + r.starts() + " to "
                        + r.ends() + ": " + peak + " of the cluster's " + has + " are already reserved then (" + who + ")",
                        Map.of("reserved", peak, "cluster", has, "requested", r.gpus()));
            }
            ReservationEntity e = new ReservationEntity();
            e.group = group;
            e.gpuType = r.gpuType();
            e.gpus = r.gpus();
            e.startsAt = r.starts();
            e.endsAt = r.ends();
            e.note = r.note();
            e.createdAt = now;
            e.createdBy = r.by();
            e.persist();
            return Reservation.of(e);
        });
    }

    private static String describe(Map<String, Integer> total) {
        return total.isEmpty() ? "none" : new java.util.TreeMap<>(total).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
