package io.ganymede.hub.spawner;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs single-user servers somewhere (local processes, Kubernetes pods). The hub owns the
 * lifecycle around it (pending states, timeouts, readiness, routes, persistence); a spawner only
 * starts, stops and inspects what it runs. Implementations are {@code @ApplicationScoped} beans
 * selected by {@code ganymede.spawner.kind}; they must never block the calling thread.
 */
public interface Spawner {

    /** The value of {@code ganymede.spawner.kind} that selects this spawner. */
    String kind();

    /**
     * Starts a server. The returned {@link Uni} completes once the server's process or pod is
     * running and has an address; the hub then waits for {@code GET {url}api} itself.
     *
     * @param request what to run, for whom, with which environment and options
     * @param progress receives human-readable progress events (0-99) while starting
     */
    Uni<SpawnResult> start(SpawnRequest request, Consumer<ProgressEvent> progress);

    /** Stops a server started earlier; {@code state} is what {@link SpawnResult#state()} returned. */
    Uni<Void> stop(ServerHandle server);

    /** Whether a server started earlier (possibly by an earlier hub process) still runs. */
    Uni<PollResult> poll(ServerHandle server);

    /**
     * Registers {@code stopped} to be told of a server that stopped running, by whatever cause (its
     * pod deleted from outside, its node drained, its process ended), as soon as the spawner sees
     * it: the hub then records it at once instead of at its next poll. Called on the spawner's own
     * threads; must not block. Spawners that only learn by polling tell nothing.
     */
    default void onStopped(Consumer<ServerHandle> stopped) {}

    /**
     * Servers this spawner runs that are not among {@code known} (the hub's records): left over
     * from a lost database or a failed stop. Spawners that cannot list what they run find none.
     * May block; the hub calls it on a worker thread.
     */
    default List<ServerHandle> orphans(Collection<ServerHandle> known) {
        return List.of();
    }

    /**
     * Whether every server {@link #orphans} finds was certainly started by this hub (or an earlier
     * run of it), and no other hub's: then the hub stops them unless {@code delete-orphans} says
     * otherwise. False where other hubs may run servers alike (a shared namespace).
     */
    default boolean orphansAreOwn() {
        return false;
    }

    /**
     * What {@link #start} would have returned for a server found by {@link #orphans} (a start
     * whose hub died before recording it), or empty while it has no address yet.
     */
    default Optional<SpawnResult> adopt(ServerHandle orphan) {
        return Optional.empty();
    }

    /**
     * Removes what a stopped server leaves behind for its next start (its own disk) once the
     * server is removed or its user deleted, as KubeSpawner's {@code delete_forever} does.
     * {@code server}'s state is what its last start recorded.
     */
    default void deleteForever(ServerHandle server) {}

    /**
     * Removes every disk still labelled as the user's once the user is deleted, beyond those of
     * the servers the hub records ({@link #deleteForever}): a default server's disk whose record
     * is gone, one of a server removed while its disk was kept.
     */
    default void deleteForever(String user) {}

    /** The disks this spawner keeps for servers; empty for spawners that keep none (local processes). */
    default Optional<VolumeStore> volumes() {
        return Optional.empty();
    }
}
