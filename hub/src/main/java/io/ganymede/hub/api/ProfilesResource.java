package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.fairuse.Admission;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.Profile;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.profiles.ProfileSelectionException;
import io.ganymede.hub.profiles.ProfileViews;
import io.ganymede.hub.spawner.kubernetes.Capacity;
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
 * applied; with the kubernetes spawner each also carries {@code capacity}: schedulable now, free
 * GPUs of its type), {@code GET /hub/api/profiles/capacity}, the same room in the picker's words,
 * and {@code GET /hub/api/profiles/status} for admins: the file in force, when it was last loaded
 * and why the last edit was refused.
 */
@Path("/hub/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfilesResource {

    private final CurrentCaller caller;
    private final ProfileCatalog profiles;
    private final Capacity capacity;
    private final ProfileCapacity words;

    private final Admission admission;

    ProfilesResource(CurrentCaller caller, ProfileCatalog profiles, Capacity capacity, ProfileCapacity words, Admission admission) {
        this.admission = admission;
        this.caller = caller;
        this.profiles = profiles;
        this.capacity = capacity;
        this.words = words;
    }

    @GET
    @NeedsScope({})
    @Transactional
    public List<Map<String, Object>> visible() {
        Caller who = caller.require();
        Set<String> groups = Set.of();
        boolean admin = true;
        if (!who.service()) {
            UserEntity user = UserEntity.findByName(who.name()).orElseThrow();
            groups = user.groupNames();
            admin = user.admin;
        }
        Set<String> g = groups;
        boolean a = admin;
        List<Profile> visible = profiles.visibleTo(g, a);
        List<Map<String, Object>> views = ProfileViews.of(visible);
        capacity.annotate(visible, views, p -> {
            try {
                return profiles.resolve(Map.of("profile", p.slug()), g, a);
            } catch (ProfileSelectionException e) {
                return null; // an option without a default: nothing to schedule before the user picks
            }
        });
        return views;
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
        Map<String, Integer> reserved = who.service() ? Map.of() : admission.heldFrom(who.name());
        words.of(resolved, reserved).forEach((slug, line) -> out.put(slug, line.toMap()));
        return out;
    }

    @GET
    @Path("status")
    @NeedsScope("admin-ui")
    public Map<String, Object> status() {
        return profiles.status().toView();
    }
}
