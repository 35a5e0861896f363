package io.ganymede.hub.spawner;

import java.time.Instant;

/**
 * A disk a spawner keeps for a user's server (a Kubernetes claim), as the storage API shows it.
 *
 * @param name the claim's name
 * @param namespace where it lives
 * @param user the raw user name it belongs to, or null when its labels say none
 * @param server the raw server name, {@code ""} for the default server
 * @param profile the profile slug it was made for, or null when not recorded
 * @param kind {@code pd} or {@code filestore} (a per-user share)
 * @param storageClass its storage class, or null for the cluster's default
 * @param requestedBytes what its spec asks for
 * @param capacityBytes what the volume provides now (status), or null before it is provisioned
 * @param phase Pending, Bound or Lost
 * @param created when the claim was made
 * @param inUse whether a server's pod mounts it now
 * @param expandable whether its storage class allows expansion
 * @param fileSystemResizePending Kubernetes' {@code FileSystemResizePending} condition: the volume
 *     grew, its file system grows when a pod next mounts it
 */
public record Volume(
        String name,
        String namespace,
        String user,
        String server,
        String profile,
        String kind,
        String storageClass,
        long requestedBytes,
        Long capacityBytes,
        String phase,
        Instant created,
        boolean inUse,
        boolean expandable,
        boolean fileSystemResizePending) {

    /** Whether a resize was asked for that the volume does not provide yet. */
    public boolean resizing() {
        return capacityBytes != null && capacityBytes < requestedBytes;
    }
}
