package io.ganymede.hub.spawn;

import io.ganymede.hub.config.HubAddress;
import io.ganymede.hub.config.HubConfig;
import io.ganymede.hub.config.PublicUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
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
    private final PublicUrls publicUrls;
    private final SpawnConfig spawn;

    SingleUserEnvironment(HubConfig config, HubAddress address, PublicUrls publicUrls, SpawnConfig spawn) {
        this.config = config;
        this.address = address;
        this.publicUrls = publicUrls;
        this.spawn = spawn;
    }

    /** The scopes that let a user into this server, also the server's OAuth access scopes. */
    public static List<String> accessScopes(String user, String serverName) {
        return List.of("access:servers!server=" + user + "/" + serverName, "access:servers!user=" + user);
    }

    /**
     * What the server's OAuth client may put in the tokens it gets: access to this server (not to
     * every server of the user, as JupyterHub's default since 4.0), and the configured scopes,
     * which a token holds only as far as its user does.
     */
    public List<String> clientAllowedScopes(String user, String serverName) {
        List<String> scopes = new ArrayList<>(configuredClientScopes(user, serverName));
        scopes.add(0, "access:servers!server=" + user + "/" + serverName);
        return scopes.stream().distinct().toList();
    }

    /** {@code ganymede.spawner.oauth-client-allowed-scopes}, {@code !server} and {@code !user} filled in. */
    private List<String> configuredClientScopes(String user, String serverName) {
        return spawn.oauthClientAllowedScopes().orElse(List.of()).stream()
                .map(s -> s.endsWith("!server") ? s + "=" + user + "/" + serverName
                        : s.endsWith("!user") ? s + "=" + user : s)
                .toList();
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
        env.put("JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES", toJson(configuredClientScopes(user, serverName)));
        env.put("JUPYTERHUB_USER", user);
        env.put("JUPYTERHUB_SERVER_NAME", serverName);
        env.put("JUPYTERHUB_HOST", "");
        // Empty unless the public URL is configured, as in JupyterHub 5.
        env.put("JUPYTERHUB_PUBLIC_URL", publicUrls.of(prefix).orElse(""));
        env.put("JUPYTERHUB_PUBLIC_HUB_URL", publicUrls.of(config.hub().baseUrl()).orElse(""));
        // One host for the hub and every server: the __Host- cookie prefix is never used.
        env.put("JUPYTERHUB_COOKIE_HOST_PREFIX_ENABLED", "0");
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
