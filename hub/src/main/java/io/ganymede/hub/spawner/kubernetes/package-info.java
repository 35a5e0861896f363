/**
 * The {@code kubernetes} spawner: a pod per user server, and one per running managed team app
 * ({@link io.ganymede.hub.spawner.kubernetes.AppPodBuilder}, {@link
 * io.ganymede.hub.spawner.kubernetes.AppPods}, through the same start and stop).
 *
 * <p>Split by concern. Pure, testable without a cluster: {@link
 * io.ganymede.hub.spawner.kubernetes.Slugs} and {@link io.ganymede.hub.spawner.kubernetes.ServerNames}
 * (KubeSpawner's "safe" names), {@link io.ganymede.hub.spawner.kubernetes.ServerSpec} (the resolved
 * profile as typed values), {@link io.ganymede.hub.spawner.kubernetes.StorageBuilder} (per storage
 * kind), {@link io.ganymede.hub.spawner.kubernetes.PodBuilder}, {@link
 * io.ganymede.hub.spawner.kubernetes.PodState} and {@link
 * io.ganymede.hub.spawner.kubernetes.EventProgress} (what a pod's status and events mean for a
 * user), {@link io.ganymede.hub.spawner.kubernetes.CapacityModel}. Talking to the cluster: {@link
 * io.ganymede.hub.spawner.kubernetes.ServerInformers} (one shared pod and event cache),
 * {@link io.ganymede.hub.spawner.kubernetes.KubernetesSpawner} (create, delete, follow),
 * {@link io.ganymede.hub.spawner.kubernetes.Capacity} (node and pod caches for free GPUs, added to
 * each profile of {@code GET /hub/api/profiles} as {@code capacity}). Creates are bounded in flight
 * ({@code api-concurrency}) and retried when the API server times out ({@code api-retry-timeout}),
 * so a spawn storm queues instead of failing.
 *
 * <p>The hub's service account needs, in the user namespace (where app pods run too): pods get/list/watch/create/delete,
 * persistentvolumeclaims get/create, events list/watch; cluster-wide for capacity: nodes and pods
 * list/watch; namespaces get/create only with {@code ganymede.kubernetes.user-namespaces}.
 */
package io.ganymede.hub.spawner.kubernetes;
