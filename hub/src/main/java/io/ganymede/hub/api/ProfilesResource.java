package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.profiles.ResolvedProfile;
import io.ganymede.hub.spawner.ProfileCapacity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.LinkedHashMap;
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
 * last loaded and why the last edit was refused; {@code GET /hub/api/profiles/capacity}, the picker's
 * live room per profile.
 */
@Path("/hub/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfilesResource {

    private final CurrentCaller caller;
    private final ProfileCatalog profiles;
    private final ProfileCapacity capacity;

    ProfilesResource(CurrentCaller caller, ProfileCatalog profiles, ProfileCapacity capacity) {
        this.caller = caller;
        this.profiles = profiles;
        this.capacity = capacity;
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

    /**
     * Room for each profile the caller may pick, right now: {@code {slug: {"text": "2 T4 free",
     * "fits": true, "gpu": ..., "gpus_free": 2}}}; empty where the spawner cannot tell (local).
     */
    @GET
    @Path("capacity")
    @NeedsScope({})
    public Map<String, Map<String, Object>> capacity() {
        Caller who = caller.require();
        Set<String> groups = Set.of();
        boolean admin = true;
        if (!who.service()) {
            UserEntity user = QuarkusTransaction.requiringNew().call(() -> {
                UserEntity u = UserEntity.findByName(who.name()).orElseThrow();
                u.groups.size();
                return u;
            });
            groups = user.groupNames();
            admin = user.admin;
        }
        List<ResolvedProfile> resolved = profiles.withDefaults(groups, admin);
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        capacity.of(resolved).forEach((slug, line) -> out.put(slug, line.toMap()));
        return out;
    }

    @GET
    @Path("status")
    @NeedsScope("admin-ui")
    public Map<String, Object> status() {
        return profiles.status().toView();
    }
}
