package io.ganymede.hub.profiles;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The KubeSpawner override keys Ganymede's Kubernetes spawner honours, each with the shape its
 * value must have. Anything else in an override is refused rather than silently ignored, so a typo
 * like {@code mem_limt} cannot quietly give users unlimited memory.
 */
public final class OverrideKeys {

    enum Shape { STRING, CPU, BYTES, QUANTITY, QUANTITY_MAP, STRING_MAP, LIST, LIST_OR_MAP, INT, BOOL, PULL_POLICY }

    static final Map<String, Shape> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("image", Shape.STRING);
        KEYS.put("image_pull_policy", Shape.PULL_POLICY);
        KEYS.put("image_pull_secrets", Shape.LIST);
        KEYS.put("cpu_limit", Shape.CPU);
        KEYS.put("cpu_guarantee", Shape.CPU);
        KEYS.put("mem_limit", Shape.BYTES);
        KEYS.put("mem_guarantee", Shape.BYTES);
        KEYS.put("extra_resource_limits", Shape.QUANTITY_MAP);
        KEYS.put("extra_resource_guarantees", Shape.QUANTITY_MAP);
        KEYS.put("node_selector", Shape.STRING_MAP);
        KEYS.put("tolerations", Shape.LIST_OR_MAP);
        KEYS.put("node_affinity_required", Shape.LIST_OR_MAP);
        KEYS.put("node_affinity_preferred", Shape.LIST_OR_MAP);
        KEYS.put("environment", Shape.STRING_MAP);
        KEYS.put("volumes", Shape.LIST_OR_MAP);
        KEYS.put("volume_mounts", Shape.LIST_OR_MAP);
        KEYS.put("service_account", Shape.STRING);
        KEYS.put("automount_service_account_token", Shape.BOOL);
        KEYS.put("storage_class", Shape.STRING);
        KEYS.put("storage_capacity", Shape.QUANTITY);
        KEYS.put("cmd", Shape.LIST);
        KEYS.put("args", Shape.LIST);
        KEYS.put("default_url", Shape.STRING);
        KEYS.put("working_dir", Shape.STRING);
        KEYS.put("extra_labels", Shape.STRING_MAP);
        KEYS.put("extra_annotations", Shape.STRING_MAP);
        KEYS.put("uid", Shape.INT);
        KEYS.put("gid", Shape.INT);
        KEYS.put("fs_gid", Shape.INT);
        KEYS.put("start_timeout", Shape.INT);
        KEYS.put("priority_class_name", Shape.STRING);
    }

    static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

    private OverrideKeys() {}

    /** The names of the keys an override may have. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(KEYS.keySet());
    }
}
