/**
 * Managed team apps (a TensorBoard, an MLflow server for a group): services whose pod the hub
 * runs only while they are used. {@link io.ganymede.hub.apps.AppPage} takes the first visit to
 * {@code /services/<name>/} (the proxy has no route while the app is stopped) and checks
 * {@code access:services} on it; {@link io.ganymede.hub.apps.TeamApps} starts the pod through the
 * Kubernetes spawner ({@link io.ganymede.hub.spawner.kubernetes.AppPods}), waits until it answers,
 * records the state in {@code service_apps} and adds the route with the proxy's access gate;
 * {@link io.ganymede.hub.apps.AppIdleStop} stops it after its idle timeout with the culler's
 * period and keeps the state true to the pods after a restart. Definitions are configuration
 * ({@link io.ganymede.hub.services.AppDefinition}).
 */
package io.ganymede.hub.apps;
