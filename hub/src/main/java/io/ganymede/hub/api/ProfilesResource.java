package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.scopes.NeedsScope;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ganymede extension: {@code GET /hub/api/profiles}, the profiles the caller may pick (group rules
 * applied), and {@code GET /hub/api/profiles/status} for admins: the file in force, when it was
 * last loaded and why the last edit was refused.
 */
@Path("/hub/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfilesResource {

    private final CurrentCaller caller;
    private final ProfileCatalog profiles;

    ProfilesResource(CurrentCaller caller, ProfileCatalog profiles) {
        this.caller = caller;
        this.profiles = profiles;
    }

    @GET
    @NeedsScope({})
    @Transactional
    public List<Map<String, Object>> visible() {
        Caller who = caller.require();
        if (who.service()) {
            return profiles.viewsFor(Set.of(), true);
        }
        UserEntity user = UserEntity.findByName(who.name()).orElseThrow();
        return profiles.viewsFor(user.groupNames(), user.admin);
    }

    @GET
    @Path("status")
    @NeedsScope("admin-ui")
    public Map<String, Object> status() {
        return profiles.status().toView();
    }
}
