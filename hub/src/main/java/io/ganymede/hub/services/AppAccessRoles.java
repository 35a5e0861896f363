package io.ganymede.hub.services;

import io.ganymede.hub.scopes.RoleCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A managed app's {@code groups}: their members hold {@code access:services!service=<name>}
 * through a role named {@code app-users-<name>}, as if an admin had written that role, so the
 * OAuth step, the proxy's access cookie and the app's start all decide alike.
 */
@ApplicationScoped
class AppAccessRoles implements RoleCatalog.ImpliedRoles {

    static final String PREFIX = "app-users-";

    private final ServicesConfig config;

    AppAccessRoles(ServicesConfig config) {
        this.config = config;
    }

    @Override
    public List<RoleCatalog.CustomRole> roles() {
        List<RoleCatalog.CustomRole> roles = new ArrayList<>();
        config.all().forEach((name, spec) -> spec.app().flatMap(ServicesConfig.App::groups)
                .filter(groups -> !groups.isEmpty())
                .ifPresent(groups -> roles.add(new RoleCatalog.CustomRole(PREFIX + name,
                        List.of("access:services!service=" + name), Set.of(), Set.copyOf(groups)))));
        return roles;
    }
}
