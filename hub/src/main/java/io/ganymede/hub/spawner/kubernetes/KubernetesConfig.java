package io.ganymede.hub.spawner.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the kubernetes spawner. Defaults and comments live in application.yaml. */
@ConfigMapping(prefix = "ganymede.kubernetes")
public interface KubernetesConfig {

    /** Namespace of user pods, PVCs and events. */
    @WithDefault("ganymede")
    String namespace();

    /** One namespace per user, {@code <namespace>-<username>}. */
    @WithDefault("false")
    boolean userNamespaces();

    @WithDefault("jupyter-{user_server}")
    String podNameTemplate();

    @WithDefault("claim-{user_server}")
    String pvcNameTemplate();

    @WithDefault("quay.io/jupyter/base-notebook:2025-10-20")
    String defaultImage();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** Names of image pull Secrets. */
    Optional<List<String>> imagePullSecrets();

    /** Service account of user pods unless the storage sets one. */
    Optional<String> serviceAccount();

    @WithDefault("1000")
    long uid();

    @WithDefault("100")
    long gid();

    @WithDefault("100")
    long fsGid();


    @WithDefault("30s")
    Duration imagePullGrace();

    /** How long a create that timed out or could not connect is retried (KubeSpawner's k8s_api_request_retry_timeout). */
    @WithDefault("30s")
    Duration apiRetryTimeout();

    /** Claim and pod creates sent to the API server at once; more starts wait their turn. */
    @WithDefault("32")
    int apiConcurrency();

    @WithDefault("60s")
    Duration stopTimeout();

    @WithDefault("10s")
    Duration deleteGracePeriod();

    @WithDefault("true")
    boolean eventsEnabled();

    /**
     * Keep a server's own claim when the server is removed or its user deleted; by default it is
     * deleted, as KubeSpawner's {@code delete_forever} does with {@code delete_pvc}.
     */
    @WithDefault("false")
    boolean keepVolumesOnDelete();

    /** Deprecated alias: {@code delete-pvc: false} is {@code keep-volumes-on-delete: true}. */
    Optional<Boolean> deletePvc();

    /** Whether removing a server or its user deletes the server's own claim, either key considered. */
    default boolean deletesVolumes() {
        return !keepVolumesOnDelete() && deletePvc().orElse(true);
    }

    @WithDefault("true")
    boolean capacityEnabled();

    /** How long growing a disk waits for the resizer's answer before it reports the request as pending. */
    @WithDefault("5s")
    Duration resizeWait();

    /**
     * Also watch, poll and stop the pods KubeSpawner started (any pod labelled
     * {@code component=singleuser-server}, not only Ganymede's), so servers imported from a z2jh
     * hub keep running under Ganymede; and reuse a claim named by KubeSpawner's legacy
     * {@code escape} scheme when the claim of the current name does not exist (KubeSpawner 7's
     * {@code handle_legacy_names}).
     */
    @WithDefault("false")
    boolean adoptKubespawnerPods();
}
