package io.ganymede.hub.spawner;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The disks a spawner keeps for servers (Kubernetes claims). The hub's storage rules (who may see,
 * grow or delete which disk, limits) sit above this port; only the spawner knows where disks live.
 * Every method may block: call from a worker thread.
 */
public interface VolumeStore {

    /**
     * Storage a server mounts that is not its own disk: a directory of a shared Filestore claim, or
     * a Cloud Storage bucket. Listed to its user read-only: the admins manage it.
     *
     * @param kind {@code filestore} or {@code gcsfuse}
     * @param name the shared claim's or the bucket's name
     * @param subPath the user's directory on the shared claim, or null
     */
    record SharedMount(String kind, String name, String subPath) {}

    /** Every server disk this hub's spawner keeps, Ganymede's and KubeSpawner's, in all its namespaces. */
    List<Volume> list();

    /**
     * Asks for a larger size and answers the disk as it is once the resizer has acted, or after
     * a short wait.
     */
    Volume grow(Volume volume, long bytes);

    /** Deletes the disk and the files on it. */
    void delete(Volume volume);

    /**
     * The disk a start of this server with this spec would create (its size, class and profile),
     * or empty when it needs none or its disk exists already.
     *
     * @param state what the server's last start recorded (a remembered claim name)
     */
    Optional<Volume> planned(String user, String server, Map<String, Object> spec, Map<String, String> state);

    /** The shared storage a server with this spec mounts, if any. */
    Optional<SharedMount> sharedMount(String user, String server, Map<String, Object> spec);
}
