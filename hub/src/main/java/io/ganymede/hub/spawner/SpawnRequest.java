package io.ganymede.hub.spawner;

import java.util.Map;

/**
 * What the hub asks a spawner to run.
 *
 * @param user the user's JupyterHub name
 * @param serverName the named server's name, {@code ""} for the default server
 * @param environment the single-user environment (JUPYTERHUB_API_TOKEN, ...) built by the hub
 * @param userOptions the options as the user sent them ({@code {"profile": "gpu-t4", ...}})
 * @param spec the resolved profile: overrides merged in order (defaults, profile, chosen options),
 *     with KubeSpawner's keys ({@code image}, {@code cpu_limit}, {@code mem_limit}, ...); empty when
 *     no profiles are configured
 * @param state what this spawner stored for this server last time (for reuse and adoption)
 */
public record SpawnRequest(
        String user,
        String serverName,
        Map<String, String> environment,
        Map<String, Object> userOptions,
        Map<String, Object> spec,
        Map<String, String> state) {

    /** {@code user} for the default server, {@code user/name} for a named one, as in JupyterHub. */
    public String displayName() {
        return serverName.isEmpty() ? user : user + "/" + serverName;
    }
}
