package io.ganymede.hub.spawn;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.profiles.ProfileSelectionException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/**
 * Turns a user's start options ({@code {"profile": "gpu-t4", ...}}) into the server's spec: the
 * profile's overrides merged as KubeSpawner does, checked against the groups allowed to use it.
 */
@ApplicationScoped
public class ServerSpecs {

    private final ProfileCatalog profiles;

    ServerSpecs(ProfileCatalog profiles) {
        this.profiles = profiles;
    }

    public Map<String, Object> resolve(String userName, Map<String, Object> options) {
        UserEntity user = QuarkusTransaction.requiringNew().call(() -> {
            UserEntity found = UserEntity.findByName(userName).orElseThrow(() -> ApiException.notFound("No such user: " + userName));
            found.groups.size();
            return found;
        });
        try {
            return profiles.resolve(options, user.groupNames(), user.admin).spec();
        } catch (ProfileSelectionException e) {
            throw new ApiException(e.status(), e.getMessage());
        }
    }

    /**
     * Checks options for every member of a group: as a start by a non-admin member of that group
     * alone would resolve them. A profile limited to other groups is the request's fault here, not
     * the caller's, so it is a 400 too.
     */
    public void checkForGroup(String group, Map<String, Object> options) {
        try {
            profiles.resolve(options, Set.of(group), false);
        } catch (ProfileSelectionException e) {
            if (e.status() != 403) {
                throw ApiException.badRequest(e.getMessage());
            }
            Object slug = options.get("profile");
            throw ApiException.badRequest(slug == null || String.valueOf(slug).isEmpty()
                    ? "No profile is available to every member of group " + group
                    : "Profile " + slug + " is not available to every member of group " + group);
        }
    }
}
