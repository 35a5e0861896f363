package io.ganymede.hub.spawner;

import java.util.Map;

/**
 * A server that is running and has an address.
 *
 * @param url where the server listens, e.g. {@code http://127.0.0.1:53211}; the proxy route's target
 * @param state what the spawner needs to find the server again (pid, pod name); persisted by the hub
 * @param routeData extra route data for the proxy (e.g. prefix stripping and RStudio headers)
 */
public record SpawnResult(String url, Map<String, String> state, Map<String, Object> routeData) {}
