package io.ganymede.hub.fairuse;

import io.ganymede.hub.persistence.ReservationEntity;
import java.time.Instant;

/** {@code gpus} GPUs of {@code gpuType} held for {@code group}'s members during {@code [starts, ends)}. */
public record Reservation(long id, String group, String gpuType, int gpus, Instant starts, Instant ends, String note,
        Instant created, String createdBy) {

    static Reservation of(ReservationEntity e) {
        return new Reservation(e.id, e.group.name, e.gpuType, e.gpus, e.startsAt, e.endsAt, e.note, e.createdAt, e.createdBy);
    }

    public boolean activeAt(Instant t) {
        return !starts.isAfter(t) && ends.isAfter(t);
    }

    boolean overlaps(Instant from, Instant to) {
        return starts.isBefore(to) && ends.isAfter(from);
    }
}
