package io.ganymede.hub.storage;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.profiles.Quantities;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code ganymede.storage.group-limits}: how much disk the members of a group may hold together.
 * A user in several limited groups must fit in each. Read once at start; a bad quantity stops the
 * hub with the key named.
 */
@ApplicationScoped
public class GroupLimits {

    private final Map<String, Long> bytes = new TreeMap<>();

    GroupLimits(StorageConfig config) {
        config.groupLimits().forEach((group, quantity) -> {
            try {
                bytes.put(group, Quantities.kubernetesBytes(quantity));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("ganymede.storage.group-limits." + group + ": '" + quantity
                        + "' is not a Kubernetes quantity like 500Gi");
            }
        });
    }

    public Optional<Long> of(String group) {
        return Optional.ofNullable(bytes.get(group));
    }

    /** Every limited group, by name. */
    public Map<String, Long> all() {
        return bytes;
    }

    /**
     * Refuses with a 403 naming the numbers when a group's disks would pass its limit.
     *
     * @param group a limited group
     * @param total what its members' disks request now
     * @param change what the request adds (bytes)
     * @param what the request, for the message ("growing claim-x from 10Gi to 30Gi")
     */
    void require(String group, long total, long change, String what) {
        long limit = bytes.get(group);
        if (total + change > limit) {
            throw new ApiException(403, "Group " + group + "'s disks would total " + Quantities.binary(total + change)
                    + ", over its limit of " + Quantities.binary(limit) + " (" + Quantities.binary(total)
                    + " now; " + what + ")");
        }
    }
}
