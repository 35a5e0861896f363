package io.ganymede.hub.profiles;

import java.util.Arrays;
import java.util.Optional;

/** Where a server's home directory lives. */
public enum StorageKind {
    /** Nothing persistent: the home directory goes away with the pod. */
    NONE("none"),
    /** A per-user persistent disk (a dynamically provisioned ReadWriteOnce PVC). */
    PD("pd"),
    /** A Filestore share through its CSI storage class (ReadWriteMany), per user or shared. */
    FILESTORE("filestore"),
    /** A Cloud Storage bucket through the GKE GCSFuse CSI driver. */
    GCSFUSE("gcsfuse");

    private final String id;

    StorageKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<StorageKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(StorageKind::id).toList());
    }
}
