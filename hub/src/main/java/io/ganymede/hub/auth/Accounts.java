package io.ganymede.hub.auth;

import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Users as sign-in makes them: found or created for a verified {@link Identity}, with the admin
 * flag and, when asked, the groups that configuration and the identity provider say. The result
 * is kept in the database, where the API and the scope checks read it.
 */
@ApplicationScoped
public class Accounts {

    private static final Logger LOG = Logger.getLogger(Accounts.class);

    private static final Duration ACTIVITY_RESOLUTION = Duration.ofMinutes(1);

    private final AuthConfig config;
    private final Clock clock;

    Accounts(AuthConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** As JupyterHub at start: configured admins exist and are admins, allowed users exist. */
    @Transactional
    void onStart(@Observes StartupEvent event) {
        for (String name : config.adminUsers().orElse(List.of())) {
            UserEntity user = findOrCreate(name);
            if (!user.admin) {
                LOG.infof("%s is an admin (ganymede.auth.admin-users)", name);
                user.admin = true;
            }
        }
        for (String name : config.allowedUsers().orElse(Set.of())) {
            findOrCreate(name);
        }
    }

    /**
     * The user a verified identity signs in as, created on first sign-in.
     *
     * <p>Admin: listed in {@code admin-users}, or in one of {@code admin-groups}. When admin groups
     * are configured and the provider asserts groups, leaving them ends admin rights (unless the
     * user is listed). With {@code manage-groups}, the user's groups become exactly the asserted ones.
     */
    @Transactional
    public UserEntity signIn(Identity identity) {
        UserEntity user = findOrCreate(identity.username());
        Set<String> adminGroups = config.adminGroups().orElse(Set.of());
        boolean listed = config.adminUsers().orElse(List.of()).contains(user.name);
        boolean viaGroup = identity.groups().stream().anyMatch(adminGroups::contains);
        if (listed || viaGroup) {
            user.admin = true;
        } else if (!adminGroups.isEmpty() && identity.source() == Identity.Source.OIDC) {
            user.admin = false;
        }
        if (config.manageGroups() && identity.source() == Identity.Source.OIDC) {
            syncGroups(user, identity.groups());
        }
        // IAP signs in every request: record activity at most once a minute, not a write per request.
        Instant now = clock.instant();
        if (user.lastActivity == null || user.lastActivity.isBefore(now.minus(ACTIVITY_RESOLUTION))) {
            user.touch(now);
        }
        return user;
    }

    private UserEntity findOrCreate(String name) {
        return UserEntity.findByName(name).orElseGet(() -> {
            UserEntity created = new UserEntity();
            created.name = name;
            created.created = clock.instant();
            created.persist();
            return created;
        });
    }

    private static void syncGroups(UserEntity user, Set<String> asserted) {
        Set<String> current = new HashSet<>(user.groupNames());
        user.groups.removeIf(g -> !asserted.contains(g.name));
        for (String name : asserted) {
            if (name.isEmpty() || name.length() > GroupEntity.NAME_LENGTH) {
                // The provider's claim, not the user's doing: signing in still works, without that group.
                LOG.warnf("%s's group claim '%.80s...' is empty or longer than %d characters; not kept",
                        user.name, name, GroupEntity.NAME_LENGTH);
                continue;
            }
            if (!current.contains(name)) {
                GroupEntity group = GroupEntity.findByName(name).orElseGet(() -> {
                    GroupEntity created = new GroupEntity();
                    created.name = name;
                    created.persist();
                    return created;
                });
                user.groups.add(group);
            }
        }
    }
}
