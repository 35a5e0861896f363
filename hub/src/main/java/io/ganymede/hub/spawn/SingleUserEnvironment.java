package io.ganymede.hub.spawn;

import io.ganymede.hub.config.HubAddress;
import io.ganymede.hub.config.HubConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a single-user server expects from its spawner (names from JupyterHub's
 * {@code Spawner.get_env}), so the real {@code jupyterhub-singleuser} runs under this hub unchanged.
 */
@ApplicationScoped
public class SingleUserEnvironment {

    private final HubConfig config;
    private final HubAddress address;

    SingleUserEnvironment(HubConfig config, HubAddress address) {
        this.config = config;
        this.address = address;
    }

    /** The scopes that let a user into this server, also the server's OAuth access scopes. */
    public static List<String> accessScopes(String user, String serverName) {
        return List.of("access:servers!server=" + user + "/" + serverName, "access:servers!user=" + user);
    }

    public Map<String, String> build(String user, String serverName, String apiToken, Map<String, Object> spec) {
        String api = address.internalUrl() + config.hub().baseUrl() + "api";
        String prefix = Urls.serverPrefix(user, serverName);
        String scopes = toJson(accessScopes(user, serverName));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JUPYTERHUB_API_TOKEN", apiToken);
        env.put("JPY_API_TOKEN", apiToken);
        env.put("JUPYTERHUB_CLIENT_ID", Urls.clientId(user, serverName));
        env.put("JUPYTERHUB_API_URL", api);
        env.put("JUPYTERHUB_ACTIVITY_URL", api + "/users/" + Urls.escape(user) + "/activity");
        env.put("JUPYTERHUB_BASE_URL", "/");
        env.put("JUPYTERHUB_SERVICE_PREFIX", prefix);
        env.put("JUPYTERHUB_OAUTH_CALLBACK_URL", prefix + "oauth_callback");
        env.put("JUPYTERHUB_OAUTH_ACCESS_SCOPES", scopes);
        env.put("JUPYTERHUB_OAUTH_SCOPES", scopes);
        env.put("JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES", "[]");
        env.put("JUPYTERHUB_USER", user);
        env.put("JUPYTERHUB_SERVER_NAME", serverName);
        env.put("JUPYTERHUB_HOST", "");
        putIfSet(env, "MEM_LIMIT", spec.get("mem_limit"));
        putIfSet(env, "CPU_LIMIT", spec.get("cpu_limit"));
        putIfSet(env, "MEM_GUARANTEE", spec.get("mem_guarantee"));
        putIfSet(env, "CPU_GUARANTEE", spec.get("cpu_guarantee"));
        putIfSet(env, "JUPYTER_IMAGE", spec.get("image"));
        putIfSet(env, "JUPYTER_IMAGE_SPEC", spec.get("image"));
        if (spec.get("environment") instanceof Map<?, ?> extra) {
            extra.forEach((k, v) -> putIfSet(env, String.valueOf(k), v));
        }
        return env;
    }

    private static void putIfSet(Map<String, String> env, String key, Object value) {
        if (value != null) {
            env.put(key, String.valueOf(value));
        }
    }

    private static String toJson(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ", ").append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append(']').toString();
    }
}
