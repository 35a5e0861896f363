package io.ganymede.hub.profiles;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A whole, valid profiles.yaml: the {@code defaults} override and the profiles in file order. */
public record ProfileSet(Map<String, Object> defaults, List<Profile> profiles) {

    public ProfileSet {
        profiles = List.copyOf(profiles);
    }

    /**
     * What applies when no profiles.yaml exists: one profile that changes nothing, so the embedded
     * local setup works without any file.
     */
    public static ProfileSet builtIn() {
        return new ProfileSet(Map.of(), List.of(new Profile("default", "Default", "The default server.", true,
                AppKind.JUPYTERLAB, StorageSpec.none(), java.util.Set.of(), CullPolicy.INHERIT, null, Map.of(),
                List.of())));
    }

    public Optional<Profile> bySlug(String slug) {
        return profiles.stream().filter(p -> p.slug().equals(slug)).findFirst();
    }
}
