package io.ganymede.hub.web;

import io.ganymede.hub.profiles.Quantities;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.spawn.Urls;
import io.ganymede.hub.storage.Disks;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Storage sections of the home and admin pages, made from the storage API's own models
 * ({@link Disks}), so the pages show what {@code GET .../volumes} says. Changes go through the API
 * from the page's script (XSRF header), so its rules and refusals are the API's.
 */
@ApplicationScoped
public class StoragePanel {

    /**
     * One disk as a row.
     *
     * @param serverLabel "default" or the server's name
     * @param used "3.2 GiB (21%)", or null when unknown (then {@code usedUnknown} says why)
     * @param apiUrl the disk's API path (PATCH grows, DELETE deletes); null for shared storage
     * @param suggested a size to offer in the grow form: double, within the profile's cap
     */
    public record Row(String name, String user, String serverLabel, String profile, String kind, boolean readOnly,
            String subPath, String size, String capacity, String used, Integer usedPercent, String usedUnknown,
            String storageClass, String phase, boolean inUse, boolean expandable, boolean restartRequired,
            boolean resizing, String maxSize, boolean orphan, String apiUrl, String suggested) {}

    /** A total of one storage class or group. */
    public record Total(String name, long count, String requested, String limit, Integer percentOfLimit) {}

    /** The admin's view. */
    public record Overview(List<Row> disks, List<Row> orphans, List<Total> byClass, List<Total> byGroup) {}

    private final Disks disks;

    StoragePanel(Disks disks) {
        this.disks = disks;
    }

    public List<Row> ofUser(String user) {
        return disks.ofUser(user).stream().map(StoragePanel::row).toList();
    }

    public Overview overview(Permissions permissions) {
        Map<String, Object> all = disks.overview(o -> permissions.allows("admin:servers", Target.user(o.name(), o.groups())),
                permissions.holdsUnfiltered("admin:servers"));
        Map<?, ?> totals = (Map<?, ?>) all.get("totals");
        return new Overview(rows(all.get("volumes")), rows(all.get("orphans")),
                totals((Map<?, ?>) totals.get("storage_class")), totals((Map<?, ?>) totals.get("group")));
    }

    private static List<Row> rows(Object list) {
        return ((List<?>) list).stream().map(m -> row(cast(m))).toList();
    }

    private static List<Total> totals(Map<?, ?> sums) {
        return sums.entrySet().stream().map(e -> {
            Map<String, Object> t = cast(e.getValue());
            Long limit = (Long) t.get("limit_bytes");
            long requested = (Long) t.get("requested_bytes");
            return new Total(String.valueOf(e.getKey()), (Long) t.get("count"), human(requested),
                    limit == null ? null : human(limit), limit == null || limit == 0 ? null : (int) (100 * requested / limit));
        }).toList();
    }

    private static Row row(Map<String, Object> d) {
        boolean readOnly = Boolean.TRUE.equals(d.get("read_only"));
        String user = (String) d.get("user");
        String server = (String) d.getOrDefault("server", "");
        Long requested = (Long) d.get("requested_bytes");
        Long capacity = (Long) d.get("capacity_bytes");
        Long used = (Long) d.get("used_bytes");
        Long base = capacity != null ? capacity : requested;
        Integer percent = used == null || base == null || base == 0 ? null : (int) Math.min(100, 100 * used / base);
        String max = (String) d.get("max_size");
        String name = (String) d.get("name");
        // An orphan may have no user left to name it by: the admins' path by namespace.
        String apiUrl = readOnly ? null : Boolean.TRUE.equals(d.get("orphan")) || user == null
                ? "/hub/api/volumes/" + Urls.escape((String) d.get("namespace")) + "/" + Urls.escape(name)
                : "/hub/api/users/" + Urls.escape(user) + "/volumes/" + Urls.escape(name);
        return new Row((String) d.get("name"), user, server == null || server.isEmpty() ? "default" : server,
                (String) d.get("profile"), (String) d.get("kind"), readOnly, (String) d.get("sub_path"),
                requested == null ? null : human(requested), capacity == null ? null : human(capacity),
                used == null ? null : human(used) + (percent == null ? "" : " (" + percent + "%)"), percent,
                (String) d.get("used_unknown_reason"), (String) d.get("storage_class"), (String) d.get("phase"),
                Boolean.TRUE.equals(d.get("in_use")), Boolean.TRUE.equals(d.get("expandable")),
                Boolean.TRUE.equals(d.get("restart_required")), Boolean.TRUE.equals(d.get("resizing")), max,
                Boolean.TRUE.equals(d.get("orphan")), apiUrl, requested == null ? null : suggested(requested, max));
    }

    /** Twice the size, but no more than the profile allows. */
    private static String suggested(long requested, String max) {
        long next = requested * 2;
        if (max != null) {
            next = Math.min(next, Quantities.kubernetesBytes(max));
        }
        return Quantities.binary(next);
    }

    /** Bytes as people read them: {@code 15 GiB}, {@code 3.2 GiB}, {@code 512 MiB}. */
    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[i];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
