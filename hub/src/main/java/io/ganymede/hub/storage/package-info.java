/**
 * Users' disks: what they see, grow and delete, and what admins see.
 *
 * <ul>
 * <li>{@link io.ganymede.hub.storage.Disks}: the rules. A user sees their own claims (by the raw
 * name in the {@code hub.jupyter.org/username} annotation) and, read-only, the shared Filestore
 * directory or bucket their servers mount. Growing goes only up, only on a storage class with
 * {@code allowVolumeExpansion}, within the profile's {@code storage.max_size} and every limited
 * group's total; deleting waits until no running server mounts the disk. A start that would
 * create a disk must fit in the group limits too ({@link io.ganymede.hub.spawn.StartCheck}).</li>
 * <li>{@link io.ganymede.hub.storage.GroupLimits}: {@code ganymede.storage.group-limits}.</li>
 * <li>{@link io.ganymede.hub.storage.FillLevels}: used bytes from the kubelet's metric through
 * Prometheus, or "unknown" with the reason.</li>
 * </ul>
 * The disks themselves live behind the spawner ({@link io.ganymede.hub.spawner.VolumeStore}): the
 * kubernetes spawner's claims; the local spawner keeps none.
 */
package io.ganymede.hub.storage;
