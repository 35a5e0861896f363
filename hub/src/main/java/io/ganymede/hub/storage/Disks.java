package io.ganymede.hub.storage;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.profiles.ProfileSelectionException;
import io.ganymede.hub.profiles.Quantities;
import io.ganymede.hub.spawn.StartCheck;
import io.ganymede.hub.spawner.SpawnerSelector;
import io.ganymede.hub.spawner.Volume;
import io.ganymede.hub.spawner.VolumeStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Users' disks and the rules around them: who sees which, growing (only up, on a class that
 * allows it, within the profile's {@code max_size} and the groups' limits), deleting (not while a
 * server mounts it), the limits a start must fit in, and what admins see (totals, orphans).
 * Disks themselves are the spawner's ({@link VolumeStore}); every method may block.
 */
@ApplicationScoped
public class Disks implements StartCheck {

    private final SpawnerSelector spawners;
    private final ProfileCatalog profiles;
    private final GroupLimits limits;
    private final FillLevels fills;

    Disks(SpawnerSelector spawners, ProfileCatalog profiles, GroupLimits limits, FillLevels fills) {
        this.spawners = spawners;
        this.profiles = profiles;
        this.limits = limits;
        this.fills = fills;
    }

    /** A user's servers as the rules need them, read in one transaction. */
    private record UserFacts(String name, boolean admin, Set<String> groups, Map<String, ServerFacts> servers) {}

    private record ServerFacts(boolean running, Map<String, Object> options) {}

    /** The user's disks, largest first, then the shared storage their servers mount (read-only), by server. */
    public List<Map<String, Object>> ofUser(String userName) {
        UserFacts owner = owner(userName);
        Optional<VolumeStore> store = spawners.spawner().volumes();
        if (store.isEmpty()) {
            return List.of();
        }
        List<Volume> own = store.get().list().stream().filter(v -> owner.name().equals(v.user())).sorted(BY_SIZE).toList();
        Map<String, FillLevels.Fill> fill = fills.of(own);
        List<Map<String, Object>> out = new ArrayList<>();
        own.forEach(v -> out.add(VolumeModels.disk(v, fill.get(FillLevels.key(v)), maxBytes(v), false)));
        owner.servers().forEach((server, facts) -> spec(owner, facts)
                .flatMap(spec -> store.get().sharedMount(owner.name(), server, spec))
                .ifPresent(m -> out.add(VolumeModels.shared(m, owner.name(), server, profileOf(facts), facts.running()))));
        return out;
    }

    /** Grows one of the user's disks to {@code size}; every refusal names its reason and numbers. */
    public Map<String, Object> grow(String userName, String volumeName, String size) {
        UserFacts owner = owner(userName);
        VolumeStore store = store(volumeName);
        Volume v = own(store, owner, volumeName);
        long bytes;
        try {
            bytes = Quantities.kubernetesBytes(size == null ? "" : size);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("size must be a Kubernetes quantity like 20Gi, not " + size);
        }
        if (bytes <= v.requestedBytes()) {
            throw ApiException.badRequest("A disk can only grow: " + size + " is not more than its current "
                    + Quantities.binary(v.requestedBytes()));
        }
        if (!v.expandable()) {
            throw ApiException.badRequest(v.name() + " cannot grow: its storage class "
                    + (v.storageClass() == null ? "(the default)" : v.storageClass()) + " does not allow volume expansion");
        }
        if (!"Bound".equals(v.phase())) {
            throw new ApiException(409, v.name() + " is not provisioned yet (" + v.phase()
                    + "); it can grow once a server has used it");
        }
        Long max = maxBytes(v);
        if (max != null && bytes > max) {
            throw new ApiException(403, size + " is over profile " + v.profile() + "'s max_size of "
                    + Quantities.binary(max) + " (" + v.name() + " is " + Quantities.binary(v.requestedBytes()) + " now)");
        }
        requireLimits(owner, store.list(), bytes - v.requestedBytes(), "growing " + v.name() + " from "
                + Quantities.binary(v.requestedBytes()) + " to " + Quantities.binary(bytes));
        Volume grown = store.grow(v, bytes);
        return VolumeModels.disk(grown, fills.of(List.of(grown)).get(FillLevels.key(grown)), max, false);
    }

    /** Deletes one of the user's disks that no running server mounts. */
    public void delete(String userName, String volumeName) {
        UserFacts owner = owner(userName);
        VolumeStore store = store(volumeName);
        deleteUnused(store, own(store, owner, volumeName));
    }

    /** Deletes any disk the spawner keeps (an orphan too) that no running server mounts. */
    public void deleteAny(String namespace, String volumeName) {
        VolumeStore store = store(volumeName);
        Volume v = store.list().stream().filter(d -> d.namespace().equals(namespace) && d.name().equals(volumeName))
                .findFirst().orElseThrow(() -> ApiException.notFound("No volume named " + volumeName + " in " + namespace));
        deleteUnused(store, v);
    }

    private static void deleteUnused(VolumeStore store, Volume v) {
        if (v.inUse()) {
            throw new ApiException(409, v.name() + " is in use by a running server"
                    + (v.server().isEmpty() ? "" : " (" + v.server() + ")") + "; stop it first");
        }
        store.delete(v);
    }

    /**
     * Every disk whose user passes {@code visible}, largest first, with totals per storage class
     * and per group, and the orphans (a disk whose user or named server no longer exists).
     */
    public Map<String, Object> overview(Predicate<Owner> visible, boolean withOrphans) {
        List<Volume> all = spawners.spawner().volumes().map(VolumeStore::list).orElse(List.of());
        Map<String, UserFacts> owners = QuarkusTransaction.requiringNew().call(() -> {
            Map<String, UserFacts> found = new LinkedHashMap<>();
            for (Volume v : all) {
                if (v.user() != null && !found.containsKey(v.user())) {
                    UserEntity.findByName(v.user()).ifPresent(u -> found.put(u.name, owner(u)));
                }
            }
            return found;
        });
        List<Volume> shown = new ArrayList<>();
        List<Volume> orphans = new ArrayList<>();
        for (Volume v : all) {
            UserFacts o = v.user() == null ? null : owners.get(v.user());
            if (o == null || !v.server().isEmpty() && !o.servers().containsKey(v.server())) {
                if (withOrphans) {
                    orphans.add(v);
                    shown.add(v);
                }
            } else if (visible.test(new Owner(o.name(), o.groups()))) {
                shown.add(v);
            }
        }
        shown.sort(BY_SIZE);
        orphans.sort(BY_SIZE);
        Map<String, FillLevels.Fill> fill = fills.of(shown);
        Set<Volume> orphanSet = new HashSet<>(orphans);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volumes", shown.stream().map(v -> VolumeModels.disk(v, fill.get(FillLevels.key(v)), maxBytes(v),
                orphanSet.contains(v))).toList());
        out.put("orphans", orphans.stream().map(v -> VolumeModels.disk(v, fill.get(FillLevels.key(v)), maxBytes(v), true))
                .toList());
        out.put("totals", VolumeModels.totals(shown, v -> {
            UserFacts o = v.user() == null ? null : owners.get(v.user());
            return o == null ? Set.of() : o.groups();
        }, limits.all()));
        return out;
    }

    /** Who a disk belongs to, for {@link #overview}'s filter. */
    public record Owner(String name, Set<String> groups) {}

    /** A start that would create a disk must fit in the user's groups' limits (403 otherwise). */
    @Override
    public void check(String user, String serverName, Map<String, Object> spec) {
        Optional<VolumeStore> store = spawners.spawner().volumes();
        if (store.isEmpty()) {
            return;
        }
        UserFacts owner = owner(user);
        if (owner.groups().stream().noneMatch(g -> limits.of(g).isPresent())) {
            return;
        }
        Map<String, String> state = QuarkusTransaction.requiringNew().call(() -> UserEntity.findByName(user)
                .flatMap(u -> u.server(serverName)).map(s -> JsonColumns.strings(s.spawnerState)).orElse(Map.of()));
        store.get().planned(user, serverName, spec, state).ifPresent(disk -> requireLimits(owner, store.get().list(),
                disk.requestedBytes(), "starting " + (serverName.isEmpty() ? "the default server" : serverName)
                        + " creates a " + Quantities.binary(disk.requestedBytes()) + " disk"));
    }

    private void requireLimits(UserFacts owner, List<Volume> all, long change, String what) {
        for (String group : owner.groups()) {
            if (limits.of(group).isEmpty()) {
                continue;
            }
            Set<String> members = QuarkusTransaction.requiringNew().call(() -> GroupEntity.findByName(group)
                    .map(g -> g.users.stream().map(u -> u.name).collect(java.util.stream.Collectors.toSet()))
                    .orElse(Set.of()));
            long total = all.stream().filter(v -> members.contains(v.user())).mapToLong(Volume::requestedBytes).sum();
            limits.require(group, total, change, what);
        }
    }

    private VolumeStore store(String volumeName) {
        return spawners.spawner().volumes().orElseThrow(() -> ApiException.notFound(
                "No volume named " + volumeName + ": the " + spawners.spawner().kind() + " spawner keeps no disks"));
    }

    /** The user's own disk of that name; a shared mount is named read-only, anything else is a 404. */
    private Volume own(VolumeStore store, UserFacts owner, String volumeName) {
        Optional<Volume> found = store.list().stream()
                .filter(v -> owner.name().equals(v.user()) && v.name().equals(volumeName)).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        for (var e : owner.servers().entrySet()) {
            Optional<VolumeStore.SharedMount> m = spec(owner, e.getValue())
                    .flatMap(spec -> store.sharedMount(owner.name(), e.getKey(), spec));
            if (m.isPresent() && m.get().name().equals(volumeName)) {
                throw ApiException.badRequest(volumeName + " is shared " + m.get().kind()
                        + " storage the admins manage; it is listed read-only");
            }
        }
        throw ApiException.notFound(owner.name() + " has no volume named " + volumeName);
    }

    /** The profile's {@code max_size} in bytes, or null when its profile sets none (or is gone). */
    private Long maxBytes(Volume v) {
        if (v.profile() == null) {
            return null;
        }
        return profiles.current().bySlug(v.profile()).map(p -> p.storage().maxSize())
                .map(Quantities::kubernetesBytes).orElse(null);
    }

    private Optional<Map<String, Object>> spec(UserFacts owner, ServerFacts facts) {
        try {
            return Optional.of(profiles.resolve(facts.options(), owner.groups(), owner.admin()).spec());
        } catch (ProfileSelectionException e) {
            return Optional.empty();
        }
    }

    private static String profileOf(ServerFacts facts) {
        Object p = facts.options().get("profile");
        return p == null ? null : String.valueOf(p);
    }

    private static UserFacts owner(String name) {
        return QuarkusTransaction.requiringNew().call(() -> owner(UserEntity.findByName(name)
                .orElseThrow(() -> ApiException.notFound("No such user: " + name))));
    }

    private static UserFacts owner(UserEntity u) {
        Map<String, ServerFacts> servers = new java.util.TreeMap<>();
        for (ServerEntity s : u.servers) {
            servers.put(s.name, new ServerFacts(s.running(), JsonColumns.object(s.userOptions)));
        }
        return new UserFacts(u.name, u.admin, u.groupNames(), servers);
    }

    static final Comparator<Volume> BY_SIZE = Comparator.comparingLong(Volume::requestedBytes).reversed()
            .thenComparing(Volume::name);
}
