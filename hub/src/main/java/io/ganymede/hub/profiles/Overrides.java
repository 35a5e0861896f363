package io.ganymede.hub.profiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KubeSpawner's override semantics: maps merge recursively, anything else replaces, and a key set
 * to null is removed (so a profile can drop a default's node selector). Lists replace whole.
 */
public final class Overrides {

    private Overrides() {}

    /** Returns a new map: {@code base} with {@code override} merged over it. Inputs are not changed. */
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> out = deepCopy(base);
        mergeInto(out, override);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> target, Map<String, Object> override) {
        for (var e : override.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                target.remove(e.getKey());
            } else if (v instanceof Map<?, ?> vm && target.get(e.getKey()) instanceof Map<?, ?> tm) {
                Map<String, Object> merged = (Map<String, Object>) deepCopyValue(tm);
                mergeInto(merged, (Map<String, Object>) vm);
                target.put(e.getKey(), merged);
            } else {
                target.put(e.getKey(), withoutNulls(deepCopyValue(v)));
            }
        }
    }

    /** Replaces {@code {value}} in every string (keys too); {@code {{} and {@code }}} escape braces. */
    public static Object format(Object template, String value) {
        if (template instanceof String s) {
            return formatString(s, value);
        }
        if (template instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(formatString(String.valueOf(k), value), format(v, value)));
            return out;
        }
        if (template instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(format(v, value)));
            return out;
        }
        return template;
    }

    private static String formatString(String s, String value) {
        // Python's str.format with only {value}: {{ and }} are literal braces.
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (s.startsWith("{{", i)) {
                out.append('{');
                i++;
            } else if (s.startsWith("}}", i)) {
                out.append('}');
                i++;
            } else if (s.startsWith("{value}", i)) {
                out.append(value);
                i += "{value}".length() - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, deepCopyValue(v)));
        return out;
    }

    private static Object deepCopyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), deepCopyValue(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(deepCopyValue(x)));
            return out;
        }
        return v;
    }

    private static Object withoutNulls(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                if (x != null) {
                    out.put(String.valueOf(k), withoutNulls(x));
                }
            });
            return out;
        }
        return v;
    }
}
