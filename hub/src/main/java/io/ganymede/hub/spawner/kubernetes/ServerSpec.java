package io.ganymede.hub.spawner.kubernetes;

import io.ganymede.hub.profiles.AppKind;
import io.ganymede.hub.profiles.Quantities;
import io.ganymede.hub.profiles.StorageSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code SpawnRequest.spec} (a resolved profile: KubeSpawner override keys plus Ganymede's {@code
 * app}, {@code storage}, {@code profile}, {@code gpu_type}) read into typed values, with the
 * spawner's configured defaults for what the profile leaves out. Pure: no cluster needed.
 */
public record ServerSpec(
        String profile,
        AppKind app,
        StorageSpec storage,
        String image,
        String imagePullPolicy,
        List<String> imagePullSecrets,
        Object cpuLimit,
        Object cpuGuarantee,
        Long memLimit,
        Long memGuarantee,
        Map<String, String> extraResourceLimits,
        Map<String, String> extraResourceGuarantees,
        Map<String, String> nodeSelector,
        List<Map<String, Object>> tolerations,
        List<Map<String, Object>> nodeAffinityRequired,
        List<Map<String, Object>> nodeAffinityPreferred,
        Map<String, String> environment,
        List<Map<String, Object>> volumes,
        List<Map<String, Object>> volumeMounts,
        String serviceAccount,
        Boolean automountServiceAccountToken,
        String storageClass,
        String storageCapacity,
        List<String> cmd,
        List<String> args,
        String defaultUrl,
        String workingDir,
        Map<String, String> extraLabels,
        Map<String, String> extraAnnotations,
        long uid,
        long gid,
        long fsGid,
        Duration startTimeout,
        String priorityClassName,
        String gpuType) {

    /** Values used when the spec has none. */
    public record Defaults(String image, String imagePullPolicy, List<String> imagePullSecrets, String serviceAccount,
            long uid, long gid, long fsGid, Duration startTimeout) {

        /** @param startTimeout the hub's start timeout ({@code ganymede.spawner.start-timeout}), one for all spawners */
        static Defaults of(KubernetesConfig c, Duration startTimeout) {
            return new Defaults(c.defaultImage(), c.imagePullPolicy(), c.imagePullSecrets().orElse(List.of()),
                    c.serviceAccount().orElse(null), c.uid(), c.gid(), c.fsGid(), startTimeout);
        }
    }

    public static ServerSpec from(Map<String, Object> spec, Defaults d) {
        Map<String, Object> s = spec == null ? Map.of() : spec;
        AppKind app = AppKind.byId(str(s.get("app"), "jupyterlab")).orElse(AppKind.JUPYTERLAB);
        long uid = num(s.get("uid"), d.uid());
        if (uid == 0) {
            throw new IllegalArgumentException("profiles may not run servers as root (uid 0)");
        }
        return new ServerSpec(
                str(s.get("profile"), null),
                app,
                StorageSpec.fromMap(s.get("storage")),
                str(s.get("image"), d.image()),
                str(s.get("image_pull_policy"), d.imagePullPolicy()),
                s.containsKey("image_pull_secrets") ? pullSecrets(s.get("image_pull_secrets")) : d.imagePullSecrets(),
                s.get("cpu_limit"),
                s.get("cpu_guarantee"),
                s.get("mem_limit") == null ? null : Quantities.bytes(s.get("mem_limit")),
                s.get("mem_guarantee") == null ? null : Quantities.bytes(s.get("mem_guarantee")),
                strings(s.get("extra_resource_limits")),
                strings(s.get("extra_resource_guarantees")),
                strings(s.get("node_selector")),
                objects(s.get("tolerations")),
                objects(s.get("node_affinity_required")),
                objects(s.get("node_affinity_preferred")),
                strings(s.get("environment")),
                objects(s.get("volumes")),
                objects(s.get("volume_mounts")),
                str(s.get("service_account"), d.serviceAccount()),
                s.get("automount_service_account_token") instanceof Boolean b ? b : null,
                str(s.get("storage_class"), null),
                str(s.get("storage_capacity"), null),
                stringList(s.get("cmd")),
                stringList(s.get("args")),
                str(s.get("default_url"), null),
                str(s.get("working_dir"), null),
                strings(s.get("extra_labels")),
                strings(s.get("extra_annotations")),
                uid,
                num(s.get("gid"), d.gid()),
                num(s.get("fs_gid"), d.fsGid()),
                io.ganymede.hub.spawn.SpawnCoordinator.startTimeout(s, d.startTimeout()),
                str(s.get("priority_class_name"), null),
                str(s.get("gpu_type"), null));
    }

    /** GPUs this server asks for ({@code nvidia.com/gpu} in the extra resource limits). */
    public int gpus() {
        String n = extraResourceLimits.get("nvidia.com/gpu");
        return n == null ? 0 : Integer.parseInt(n.trim());
    }

    private static String str(Object v, String fallback) {
        return v == null ? fallback : String.valueOf(v);
    }

    private static long num(Object v, long fallback) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        return v == null ? fallback : Long.parseLong(String.valueOf(v).trim());
    }

    private static Map<String, String> strings(Object v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                if (x != null) {
                    out.put(String.valueOf(k), x instanceof Double dd && dd == Math.floor(dd)
                            ? String.valueOf(dd.longValue()) : String.valueOf(x));
                }
            });
        }
        return out;
    }

    /** A list, or a map whose values are taken in key order (KubeSpawner's dict form). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Object v) {
        List<Map<String, Object>> out = new ArrayList<>();
        Iterable<?> items = v instanceof Map<?, ?> m ? new TreeMap<>((Map<String, Object>) m).values()
                : v instanceof List<?> l ? l : List.of();
        for (Object item : items) {
            if (item instanceof Map<?, ?> im) {
                out.add((Map<String, Object>) im);
            }
        }
        return out;
    }

    private static List<String> stringList(Object v) {
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return v == null ? null : List.of(String.valueOf(v));
    }

    private static List<String> pullSecrets(Object v) {
        // KubeSpawner accepts names or {name: ...} objects.
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.add(o instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : String.valueOf(o));
            }
        }
        return out;
    }
}
