package io.ganymede.hub.fairuse;

import io.ganymede.hub.usage.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The rules of reservations (pure): how many GPUs of a type reservations hold at once over a
 * window (a new one must fit beside them in the cluster), and how many are held for others at a
 * moment. A group's members are admitted against its reservation first: GPUs of that type its
 * members use count against the reservation before anything else, so only its unused part is
 * held from everyone else.
 */
public final class ReservationBook {

    private ReservationBook() {}

    /** The most GPUs of {@code type} that {@code reservations} hold at one moment of {@code [from, to)}. */
    public static int peak(Collection<Reservation> reservations, String type, Instant from, Instant to) {
        List<Reservation> relevant = reservations.stream()
                .filter(r -> r.gpuType().equals(type) && r.overlaps(from, to)).toList();
        // The sum only changes where one starts; the window's own start is the other candidate.
        TreeSet<Instant> moments = new TreeSet<>();
        moments.add(from);
        relevant.forEach(r -> {
            if (r.starts().isAfter(from) && r.starts().isBefore(to)) {
                moments.add(r.starts());
            }
        });
        int peak = 0;
        for (Instant t : moments) {
            peak = Math.max(peak, relevant.stream().filter(r -> r.activeAt(t)).mapToInt(Reservation::gpus).sum());
        }
        return peak;
    }

    /** GPUs of {@code type} the group's members use now (open sessions charged to it). */
    static int usedBy(String group, String type, List<Session> open) {
        return open.stream().filter(s -> s.open() && type.equals(s.gpuType()) && s.chargedTo(group)).mapToInt(Session::gpus).sum();
    }

    /** What a reservation still holds now: its GPUs less those its members use. */
    static int unused(Reservation r, List<Session> open) {
        return Math.max(0, r.gpus() - usedBy(r.group(), r.gpuType(), open));
    }

    /** Reservations of {@code type} active at {@code now} that hold GPUs from someone in {@code groups}. */
    public static List<Reservation> heldFrom(Collection<Reservation> reservations, Collection<String> groups, String type,
            List<Session> open, Instant now) {
        List<Reservation> held = new ArrayList<>();
        for (Reservation r : reservations) {
            if (r.gpuType().equals(type) && r.activeAt(now) && !groups.contains(r.group()) && unused(r, open) > 0) {
                held.add(r);
            }
        }
        return held;
    }

    /** GPUs of {@code type} held now from a member of {@code groups} (by other groups' reservations, unused part). */
    public static int held(Collection<Reservation> reservations, Collection<String> groups, String type, List<Session> open,
            Instant now) {
        return heldFrom(reservations, groups, type, open, now).stream().mapToInt(r -> unused(r, open)).sum();
    }
}
