package io.ganymede.hub.profiles;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the admin API shows about profiles.yaml.
 *
 * @param path the file watched
 * @param builtIn true while no file was ever loaded and the built-in default profile is in force
 * @param profiles the profiles in force
 * @param lastGoodLoad when the version in force was loaded
 * @param sha256 content hash of the version in force (null for the built-in one)
 * @param lastRefusedAt when a version was last refused, or null
 * @param lastRefusedErrors that version's problems, {@code file:line:column: reason} each
 */
public record ProfilesStatus(
        String path,
        boolean builtIn,
        List<Profile> profiles,
        Instant lastGoodLoad,
        String sha256,
        Instant lastRefusedAt,
        List<String> lastRefusedErrors) {

    /** A JSON-able view for the admin API (profiles as {@link ProfileViews} shows them to admins). */
    public Map<String, Object> toView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("built_in", builtIn);
        m.put("profiles", ProfileViews.of(profiles));
        m.put("last_good_load", lastGoodLoad.toString());
        m.put("sha256", sha256);
        m.put("last_refused_at", lastRefusedAt == null ? null : lastRefusedAt.toString());
        m.put("last_refused_errors", lastRefusedErrors);
        return m;
    }
}
