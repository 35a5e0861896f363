package io.ganymede.hub.profiles;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of profiles.yaml's {@code profiles:} list.
 *
 * @param groups who may use it; empty means everyone
 * @param gpuType the {@code cloud.google.com/gke-accelerator} value it needs, or null
 * @param override its {@code kubespawner_override} (or {@code override}), applied after {@code defaults}
 */
public record Profile(
        String slug,
        String displayName,
        String description,
        boolean isDefault,
        AppKind app,
        StorageSpec storage,
        Set<String> groups,
        CullPolicy cull,
        String gpuType,
        Map<String, Object> override,
        List<ProfileOption> options) {

    public Profile {
        // File order, so the API lists groups as the admin wrote them.
        groups = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(groups));
        options = List.copyOf(options);
    }

    public boolean allows(Set<String> userGroups, boolean admin) {
        return admin || groups.isEmpty() || groups.stream().anyMatch(userGroups::contains);
    }

    public Optional<ProfileOption> option(String name) {
        return options.stream().filter(o -> o.name().equals(name)).findFirst();
    }
}
