package io.ganymede.hub.storage;

import io.ganymede.hub.profiles.Quantities;
import io.ganymede.hub.spawner.Volume;
import io.ganymede.hub.spawner.VolumeStore;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** The JSON shapes of the storage API (snake_case, sizes as quantities and as bytes). */
final class VolumeModels {

    private VolumeModels() {}

    /** A user's own disk. {@code restart_required} is Kubernetes' FileSystemResizePending condition. */
    static Map<String, Object> disk(Volume v, FillLevels.Fill fill, Long maxBytes, boolean orphan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("namespace", v.namespace());
        m.put("user", v.user());
        m.put("server", v.server());
        m.put("profile", v.profile());
        m.put("kind", v.kind());
        m.put("read_only", false);
        m.put("storage_class", v.storageClass());
        m.put("requested", Quantities.binary(v.requestedBytes()));
        m.put("requested_bytes", v.requestedBytes());
        m.put("capacity", v.capacityBytes() == null ? null : Quantities.binary(v.capacityBytes()));
        m.put("capacity_bytes", v.capacityBytes());
        m.put("max_size", maxBytes == null ? null : Quantities.binary(maxBytes));
        m.put("phase", v.phase());
        m.put("created", v.created() == null ? null : v.created().toString());
        m.put("in_use", v.inUse());
        m.put("expandable", v.expandable());
        m.put("resizing", v.resizing());
        m.put("restart_required", v.fileSystemResizePending());
        m.put("used_bytes", fill == null ? null : fill.usedBytes());
        m.put("used_unknown_reason", fill == null ? "unknown" : fill.unknownReason());
        m.put("orphan", orphan);
        return m;
    }

    /** Storage the admins manage that a user's server mounts (a shared Filestore directory, a bucket). */
    static Map<String, Object> shared(VolumeStore.SharedMount mount, String user, String server, String profile,
            boolean inUse) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", mount.name());
        m.put("user", user);
        m.put("server", server);
        m.put("profile", profile);
        m.put("kind", mount.kind());
        m.put("read_only", true);
        m.put("sub_path", mount.subPath());
        m.put("in_use", inUse);
        m.put("used_bytes", null);
        m.put("used_unknown_reason", "shared storage: not measured per user");
        return m;
    }

    /** Totals per storage class and per group (with the group's limit where one is set). */
    static Map<String, Object> totals(Collection<Volume> volumes, Function<Volume, Set<String>> groupsOf,
            Map<String, Long> limits) {
        Map<String, long[]> byClass = new TreeMap<>();
        Map<String, long[]> byGroup = new TreeMap<>();
        for (Volume v : volumes) {
            add(byClass, v.storageClass() == null ? "(default)" : v.storageClass(), v.requestedBytes());
            groupsOf.apply(v).forEach(g -> add(byGroup, g, v.requestedBytes()));
        }
        limits.keySet().forEach(g -> byGroup.computeIfAbsent(g, k -> new long[2]));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("storage_class", sums(byClass, Map.of()));
        out.put("group", sums(byGroup, limits));
        return out;
    }

    private static void add(Map<String, long[]> sums, String key, long bytes) {
        long[] s = sums.computeIfAbsent(key, k -> new long[2]);
        s[0]++;
        s[1] += bytes;
    }

    private static Map<String, Object> sums(Map<String, long[]> sums, Map<String, Long> limits) {
        Map<String, Object> out = new LinkedHashMap<>();
        sums.forEach((key, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", s[0]);
            m.put("requested", Quantities.binary(s[1]));
            m.put("requested_bytes", s[1]);
            if (limits.containsKey(key)) {
                m.put("limit", Quantities.binary(limits.get(key)));
                m.put("limit_bytes", limits.get(key));
            }
            out.put(key, m);
        });
        return out;
    }
}
