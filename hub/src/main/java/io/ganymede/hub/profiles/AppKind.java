package io.ganymede.hub.profiles;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a server runs. Each kind owns its port, the path that answers once it is up, and the route
 * data the proxy needs to serve it under {@code /user/<name>/} (RStudio and code-server do not know
 * their prefix, so the proxy strips it; RStudio also needs its root-path headers).
 */
public enum AppKind {
    JUPYTERLAB("jupyterlab", 8888, "api", Map.of()),
    RSTUDIO("rstudio", 8787, "", Map.of("strip_prefix", true, "rstudio", true)),
    CODE_SERVER("code-server", 8080, "healthz", Map.of("strip_prefix", true));

    private final String id;
    private final int port;
    private final String healthPath;
    private final Map<String, Object> routeData;

    AppKind(String id, int port, String healthPath, Map<String, Object> routeData) {
        this.id = id;
        this.port = port;
        this.healthPath = healthPath;
        this.routeData = routeData;
    }

    /** The name used in profiles.yaml. */
    public String id() {
        return id;
    }

    public int port() {
        return port;
    }

    /** Path below the server's prefix that answers once the app is up (the readiness probe). */
    public String healthPath() {
        return healthPath;
    }

    /** Extra proxy route data for this app kind. */
    public Map<String, Object> routeData() {
        return routeData;
    }

    /**
     * code-server's arguments to listen on {@code host:port} with no login of its own: users are
     * checked by the hub and the proxy (route access), as for every app served at its root.
     */
    public static List<String> codeServerArgs(String host, int port) {
        return List.of("--bind-addr", host + ":" + port, "--auth", "none");
    }

    public static Optional<AppKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(AppKind::id).toList());
    }
}
