package io.ganymede.hub.scopes;

import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.persistence.UserEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every role this hub knows: JupyterHub's built-in ones and the custom roles of
 * {@code ganymede.auth.roles} (JupyterHub's {@code load_roles}), and who holds which. Roles are
 * applied from configuration at each start; a role with an unknown scope stops the start.
 */
@ApplicationScoped
public class RoleCatalog {

    /** A custom role: its scopes and the users, groups and services that hold it. */
    public record CustomRole(String name, List<String> scopes, Set<String> users, Set<String> groups, Set<String> services) {

        public CustomRole(String name, List<String> scopes, Set<String> users, Set<String> groups) {
            this(name, scopes, users, groups, Set.of());
        }
    }

    private final boolean adminAccess;
    private final Map<String, CustomRole> custom;

    /** Roles other parts of the configuration imply (a managed app's {@code groups}), beside {@code ganymede.auth.roles}. */
    public interface ImpliedRoles {
        List<CustomRole> roles();
    }

    @Inject
    RoleCatalog(AuthConfig config, jakarta.enterprise.inject.Instance<ImpliedRoles> implied) {
        this(config.adminAccess(), java.util.stream.Stream.concat(config.roles().orElse(List.of()).stream()
                .map(r -> new CustomRole(r.name(), r.scopes(), Set.copyOf(r.users().orElse(List.of())),
                        Set.copyOf(r.groups().orElse(List.of())), Set.copyOf(r.services().orElse(List.of())))),
                implied.stream().flatMap(i -> i.roles().stream()))
                .toList());
    }

    /**
     * @param adminAccess whether the admin role reaches users' servers
     * @throws IllegalArgumentException for a role named like a built-in one, named twice, or with an unknown scope
     */
    public RoleCatalog(boolean adminAccess, List<CustomRole> roles) {
        this.adminAccess = adminAccess;
        Map<String, CustomRole> byName = new LinkedHashMap<>();
        for (CustomRole role : roles) {
            if (role.name() == null || role.name().isBlank() || Roles.exists(role.name())) {
                throw new IllegalArgumentException("Role name '" + role.name() + "' is empty or a built-in role's");
            }
            if (byName.put(role.name(), role) != null) {
                throw new IllegalArgumentException("Role " + role.name() + " is defined twice");
            }
            try {
                // A bare !user means each holder, a bare !service each service holding it; a bare
                // !server means nothing for a user, so it is refused.
                Permissions.expand(role.scopes(), "(owner)", null, "(service)");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Role " + role.name() + ": " + e.getMessage(), e);
            }
        }
        this.custom = Map.copyOf(byName);
    }

    public boolean exists(String role) {
        return Roles.exists(role) || custom.containsKey(role);
    }

    /** The raw scopes a role grants. Without admin access, the admin role does not reach servers. */
    public List<String> scopes(String role) {
        CustomRole customRole = custom.get(role);
        if (customRole != null) {
            return customRole.scopes();
        }
        List<String> scopes = Roles.scopes(role);
        if (role.equals(Roles.ADMIN) && !adminAccess) {
            // shares implies access:servers: without it admins still see and revoke shares.
            return scopes.stream().flatMap(s -> switch (s) {
                case "access:servers" -> java.util.stream.Stream.<String>empty();
                case "shares" -> java.util.stream.Stream.of("read:shares", "users:shares", "groups:shares");
                default -> java.util.stream.Stream.of(s);
            }).toList();
        }
        return scopes;
    }

    /** The roles a user holds: {@code user}, {@code admin} for admins, and the custom roles naming them or their groups. */
    public List<String> rolesOf(String name, boolean admin, Set<String> groups) {
        List<String> roles = new ArrayList<>();
        if (admin) {
            roles.add(Roles.ADMIN);
        }
        roles.add(Roles.USER);
        for (CustomRole role : custom.values()) {
            if (role.users().contains(name) || groups.stream().anyMatch(role.groups()::contains)) {
                roles.add(role.name());
            }
        }
        return roles;
    }

    /**
     * The roles a service holds: {@code admin} for an admin service, the roles its configuration
     * names, and the custom roles listing it (JupyterHub's {@code load_roles} {@code services}).
     */
    public List<String> rolesOfService(String name, boolean admin, List<String> named) {
        java.util.LinkedHashSet<String> roles = new java.util.LinkedHashSet<>();
        if (admin) {
            roles.add(Roles.ADMIN);
        }
        roles.addAll(named);
        custom.values().stream().filter(r -> r.services().contains(name)).forEach(r -> roles.add(r.name()));
        return List.copyOf(roles);
    }

    /** What a service may do through its roles; every service may identify itself, as JupyterHub's identify scopes. */
    public Permissions servicePermissions(String name, List<String> roles) {
        List<String> raw = new ArrayList<>(List.of("read:services:name!service=" + name));
        for (String role : roles) {
            raw.addAll(scopes(role));
        }
        return Permissions.expandForService(raw, name);
    }

    /** What a user may do through their roles, and through {@code granted} scopes (their shares). */
    public Permissions ownerPermissions(UserEntity user, List<String> granted) {
        List<String> raw = new ArrayList<>(granted);
        for (String role : rolesOf(user.name, user.admin, user.groupNames())) {
            raw.addAll(scopes(role));
        }
        return Permissions.expand(raw, user.name, null);
    }
}
