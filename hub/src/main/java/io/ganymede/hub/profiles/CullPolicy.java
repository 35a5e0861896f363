package io.ganymede.hub.profiles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the culler treats servers of a profile. Null fields mean "use the hub's culler settings";
 * 0 turns a limit off (z2jh's convention for {@code maxAge}).
 *
 * @param timeout seconds of inactivity after which the server is stopped
 * @param maxAge seconds after start after which the server is stopped regardless of activity
 */
public record CullPolicy(Long timeout, Long maxAge) {

    public static final CullPolicy INHERIT = new CullPolicy(null, null);

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (timeout != null) {
            m.put("timeout", timeout);
        }
        if (maxAge != null) {
            m.put("max_age", maxAge);
        }
        return m;
    }
}
