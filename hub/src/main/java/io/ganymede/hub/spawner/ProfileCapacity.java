package io.ganymede.hub.spawner;

import io.ganymede.hub.profiles.ResolvedProfile;
import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawner.kubernetes.Capacity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What the profile picker says about room for each profile right now ("2 T4 free", "no L4 free
 * now: your server will wait for a node"). Only the kubernetes spawner with capacity enabled
 * knows; elsewhere there is nothing to say, and an unreachable cluster says nothing rather than
 * failing the page.
 */
@ApplicationScoped
public class ProfileCapacity {

    private static final Logger LOG = Logger.getLogger(ProfileCapacity.class);

    /** One profile's line: the words shown and whether it would be scheduled now. */
    public record Line(String text, boolean fits, String gpuType, Integer gpusFree) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text", text);
            m.put("fits", fits);
            if (gpuType != null) {
                m.put("gpu", gpuType);
                m.put("gpus_free", gpusFree);
            }
            return m;
        }
    }

    private final Instance<Capacity> capacity;
    private final SpawnConfig spawn;

    ProfileCapacity(Instance<Capacity> capacity, SpawnConfig spawn) {
        this.capacity = capacity;
        this.spawn = spawn;
    }

    /** Whether lines are computed at all. */
    public boolean available() {
        return "kubernetes".equals(spawn.kind()) && capacity.get().enabled();
    }

    /** Lines by profile slug (the profiles resolved with their default choices); empty when unavailable. */
    public Map<String, Line> of(List<ResolvedProfile> profiles) {
        return of(profiles, Map.of());
    }

    /**
     * As {@link #of(List)}, for a viewer from whom other groups' reservations hold {@code reserved}
     * GPUs per type: those count as taken.
     */
    public Map<String, Line> of(List<ResolvedProfile> profiles, Map<String, Integer> reserved) {
        Map<String, Line> lines = new LinkedHashMap<>();
        if (!available()) {
            return lines;
        }
        try {
            Capacity.Room room = capacity.get().room(profiles);
            for (ResolvedProfile p : profiles) {
                lines.put(p.slug(), line(p.gpuType(), Math.max(1, p.gpuCount()), room.freeGpus(), room.fits().get(p.slug()),
                        p.gpuType() == null ? 0 : reserved.getOrDefault(p.gpuType(), 0)));
            }
        } catch (RuntimeException e) {
            LOG.warnf("capacity unknown: %s", e.getMessage());
            lines.clear();
        }
        return lines;
    }

    /** The words for one profile; pure, so the wording is tested without a cluster. */
    static Line line(String gpuType, int needed, Map<String, Integer> freeByType, boolean fits) {
        return line(gpuType, needed, freeByType, fits, 0);
    }

    /** The words for one profile when {@code reserved} of the free GPUs of its type are held for other groups. */
    static Line line(String gpuType, int needed, Map<String, Integer> freeByType, boolean fits, int reserved) {
        if (gpuType != null && reserved > 0) {
            String name = gpuName(gpuType);
            int free = Math.max(0, freeByType.getOrDefault(gpuType, 0) - reserved);
            String held = reserved + " reserved for other groups";
            if (free >= needed && fits) {
                return new Line(free + " " + name + " free (" + held + ")", true, gpuType, free);
            }
            return new Line((free == 0 ? "no " : "only " + free + " ") + name + " free for you now: " + held, false, gpuType, free);
        }
        if (gpuType == null) {
            return new Line(fits ? "room free now" : "no room free now: your server will wait for a node", fits, null, null);
        }
        int free = freeByType.getOrDefault(gpuType, 0);
        String name = gpuName(gpuType);
        if (free >= needed && fits) {
            return new Line(free + " " + name + " free", true, gpuType, free);
        }
        String now = free == 0 ? "no " + name + " free now" : "only " + free + " " + name + " free now";
        return new Line(now + ": your server will wait for a node", false, gpuType, free);
    }

    /** {@code nvidia-tesla-t4} → {@code T4}, {@code nvidia-l4} → {@code L4}, {@code nvidia-h100-80gb} → {@code H100-80GB}. */
    public static String gpuName(String gpuType) {
        String s = gpuType;
        for (String prefix : List.of("nvidia-tesla-", "nvidia-")) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
                break;
            }
        }
        return s.toUpperCase(Locale.ROOT);
    }
}
