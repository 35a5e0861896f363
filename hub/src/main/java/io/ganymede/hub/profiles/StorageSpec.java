package io.ganymede.hub.profiles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A profile's storage: the kind and its parameters, defaults filled in. Templates ({@code
 * {username}}, {@code {servername}}, {@code {user_server}}) are expanded by the spawner with the
 * slugged names so that the same user always gets the same disk, share directory or bucket.
 *
 * @param kind none, pd, filestore or gcsfuse
 * @param mountPath where the home directory is mounted in the container
 * @param storageClass storage class of the PVC (pd, filestore)
 * @param size requested size of the PVC (pd, filestore)
 * @param maxSize largest size its owner may grow the PVC to (pd, filestore), or null: no cap
 * @param shared filestore only: one claim for everyone, each user in their own {@code subPath}
 * @param claimName filestore shared: the name of the shared claim
 * @param subPath filestore shared: the per-user directory template
 * @param bucket gcsfuse: the bucket name template
 * @param mountOptions gcsfuse: the driver's mount options
 * @param serviceAccount the Kubernetes service account the pod runs as (Workload Identity), or null
 * @param sidecar gcsfuse: the sidecar's resource annotations ({@code cpu-limit}, {@code
 *     memory-limit}, {@code ephemeral-storage-limit})
 */
public record StorageSpec(
        StorageKind kind,
        String mountPath,
        String storageClass,
        String size,
        String maxSize,
        boolean shared,
        String claimName,
        String subPath,
        String bucket,
        String mountOptions,
        String serviceAccount,
        Map<String, String> sidecar) {

    public static final String DEFAULT_MOUNT_PATH = "/home/jovyan";

    public StorageSpec {
        sidecar = sidecar == null ? Map.of() : Map.copyOf(sidecar);
    }

    public static StorageSpec none() {
        return new StorageSpec(StorageKind.NONE, DEFAULT_MOUNT_PATH, null, null, null, false, null, null, null,
                null, null, Map.of());
    }

    /** Defaults per kind, so a profile may say just {@code storage: {kind: pd}}. */
    public static StorageSpec defaults(StorageKind kind) {
        return switch (kind) {
            case NONE -> none();
            case PD -> new StorageSpec(kind, DEFAULT_MOUNT_PATH, "standard-rwo", "10Gi", null, false, null, null,
                    null, null, null, Map.of());
            case FILESTORE -> new StorageSpec(kind, DEFAULT_MOUNT_PATH, "standard-rwx", "1Ti", null, false,
                    "home-shared", "{username}", null, null, null, Map.of());
            case GCSFUSE -> new StorageSpec(kind, DEFAULT_MOUNT_PATH, null, null, null, false, null, null,
                    "{username}-notebooks", "implicit-dirs,uid=1000,gid=100", "ganymede-user", Map.of());
        };
    }

    /** A plain map for {@code SpawnRequest.spec} and the JSON view; {@link #fromMap} reads it back. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.id());
        m.put("mount_path", mountPath);
        putIf(m, "storage_class", storageClass);
        putIf(m, "size", size);
        putIf(m, "max_size", maxSize);
        if (kind == StorageKind.FILESTORE) {
            m.put("shared", shared);
            if (shared) {
                m.put("claim_name", claimName);
                m.put("sub_path", subPath);
            }
        }
        putIf(m, "bucket", bucket);
        putIf(m, "mount_options", mountOptions);
        putIf(m, "service_account", serviceAccount);
        if (!sidecar.isEmpty()) {
            m.put("sidecar", new LinkedHashMap<>(sidecar));
        }
        return m;
    }

    /** Reads {@link #toMap()}'s shape; unknown or missing values fall back to the kind's defaults. */
    public static StorageSpec fromMap(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            return none();
        }
        StorageKind kind = StorageKind.byId(String.valueOf(m.get("kind"))).orElse(StorageKind.NONE);
        StorageSpec d = defaults(kind);
        Map<String, String> sidecar = new LinkedHashMap<>();
        if (m.get("sidecar") instanceof Map<?, ?> s) {
            s.forEach((k, v) -> sidecar.put(String.valueOf(k), String.valueOf(v)));
        }
        return new StorageSpec(kind,
                str(m.get("mount_path"), d.mountPath()),
                str(m.get("storage_class"), d.storageClass()),
                str(m.get("size"), d.size()),
                str(m.get("max_size"), d.maxSize()),
                Boolean.TRUE.equals(m.get("shared")) || "true".equals(String.valueOf(m.get("shared"))),
                str(m.get("claim_name"), d.claimName()),
                str(m.get("sub_path"), d.subPath()),
                str(m.get("bucket"), d.bucket()),
                str(m.get("mount_options"), d.mountOptions()),
                str(m.get("service_account"), d.serviceAccount()),
                sidecar.isEmpty() ? d.sidecar() : sidecar);
    }

    private static String str(Object v, String fallback) {
        return v == null ? fallback : String.valueOf(v);
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
