package io.ganymede.hub.profiles;

import java.util.Map;

/**
 * A profile with the user's option choices applied: what a spawn needs.
 *
 * @param profile the selected profile
 * @param chosen the option choices in force (option name to choice name, or to the free-text value
 *     for unlisted choices)
 * @param spec the override map (defaults, then the profile, then each chosen option, merged) plus
 *     Ganymede's keys {@code profile}, {@code app}, {@code storage}, {@code cull}, {@code gpu_type};
 *     goes into {@code SpawnRequest.spec} as is
 */
public record ResolvedProfile(Profile profile, Map<String, String> chosen, Map<String, Object> spec) {

    public String slug() {
        return profile.slug();
    }

    public AppKind app() {
        return profile.app();
    }

    public StorageSpec storage() {
        return profile.storage();
    }

    public CullPolicy cull() {
        return profile.cull();
    }

    /** The GPU type ({@code cloud.google.com/gke-accelerator} value) or null for CPU profiles. */
    public String gpuType() {
        return profile.gpuType();
    }

    /** GPUs requested through {@code extra_resource_limits["nvidia.com/gpu"]}, 0 if none. */
    public int gpuCount() {
        if (spec.get("extra_resource_limits") instanceof Map<?, ?> limits) {
            Object n = limits.get("nvidia.com/gpu");
            if (n != null) {
                try {
                    return Integer.parseInt(String.valueOf(n).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
