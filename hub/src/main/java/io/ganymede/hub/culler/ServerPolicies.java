package io.ganymede.hub.culler;

import io.ganymede.hub.profiles.AppKind;
import io.ganymede.hub.profiles.Profile;
import io.ganymede.hub.profiles.ProfileCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/**
 * The profile a running server was started with (from its user options, as the spawn resolved it)
 * and the culling limits that follow. Looked up in the profiles in force, so an edited
 * {@code cull} block applies to running servers from the next pass on.
 */
@ApplicationScoped
public class ServerPolicies {

    /** A server's profile slug (null if none is known), what runs in it and its limits. */
    public record Policy(String profile, AppKind app, Limits limits) {}

    private final ProfileCatalog catalog;
    private final PolicyResolver resolver;

    ServerPolicies(ProfileCatalog catalog, CullerConfig config) {
        this.catalog = catalog;
        this.resolver = PolicyResolver.of(config);
    }

    public PolicyResolver resolver() {
        return resolver;
    }

    public Policy of(Map<String, Object> userOptions, Set<String> groups, boolean admin) {
        Profile profile = profile(userOptions, groups, admin);
        return new Policy(profile == null ? null : profile.slug(), profile == null ? AppKind.JUPYTERLAB : profile.app(),
                resolver.limits(profile == null ? null : profile.cull(), groups, admin));
    }

    /** The profile by slug, else (no slug, or a profile since removed) the user's default, as a spawn picks it. */
    private Profile profile(Map<String, Object> userOptions, Set<String> groups, boolean admin) {
        Object slug = userOptions == null ? null : userOptions.get("profile");
        if (slug != null) {
            var named = catalog.current().bySlug(String.valueOf(slug));
            if (named.isPresent()) {
                return named.get();
            }
        }
        var visible = catalog.visibleTo(groups, admin);
        return visible.stream().filter(Profile::isDefault).findFirst().orElse(visible.isEmpty() ? null : visible.get(0));
    }
}
