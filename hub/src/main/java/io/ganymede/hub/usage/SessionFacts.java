package io.ganymede.hub.usage;

import io.ganymede.hub.profiles.Quantities;
import java.math.BigDecimal;
import java.util.Map;

/**
 * What a server asks for, read from its resolved spec as the scheduler would count it: the
 * guarantee when set, else the limit (Kubernetes defaults a missing request to the limit).
 */
public record SessionFacts(String profile, String gpuType, int gpus, double cpus, long memBytes) {

    public static final SessionFacts NONE = new SessionFacts(null, null, 0, 0, 0);

    public static SessionFacts of(Map<String, Object> spec) {
        if (spec == null || spec.isEmpty()) {
            return NONE;
        }
        Object profile = spec.get("profile");
        Object gpuType = spec.get("gpu_type");
        return new SessionFacts(profile == null ? null : String.valueOf(profile), gpuType == null ? null : String.valueOf(gpuType),
                gpus(spec), cpus(first(spec, "cpu_guarantee", "cpu_limit")), bytes(first(spec, "mem_guarantee", "mem_limit")));
    }

    private static Object first(Map<String, Object> spec, String a, String b) {
        return spec.get(a) != null ? spec.get(a) : spec.get(b);
    }

    static int gpus(Map<String, Object> spec) {
        for (String key : new String[] {"extra_resource_limits", "extra_resource_guarantees"}) {
            if (spec.get(key) instanceof Map<?, ?> m && m.get("nvidia.com/gpu") != null) {
                try {
                    return new BigDecimal(String.valueOf(m.get("nvidia.com/gpu")).trim()).intValue();
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static double cpus(Object v) {
        if (v == null) {
            return 0;
        }
        try {
            return Double.parseDouble(Quantities.cores(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long bytes(Object v) {
        if (v == null) {
            return 0;
        }
        try {
            return Quantities.bytes(v);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
