package io.ganymede.hub.spawn;

import java.util.LinkedHashMap;
import java.util.Map;

/** The data the hub posts with a server's proxy route, as JupyterHub does, plus the app's own keys. */
public final class RouteData {

    private RouteData() {}

    /**
     * @param appData what the spawner asked for ({@code strip_prefix}, {@code rstudio}, ...)
     */
    public static Map<String, Object> forServer(String user, String serverName, Map<String, Object> appData) {
        Map<String, Object> data = new LinkedHashMap<>(appData);
        data.put("jupyterhub", true);
        data.put("user", user);
        data.put("server_name", serverName);
        if (Boolean.TRUE.equals(appData.get("strip_prefix")) || Boolean.TRUE.equals(appData.get("rstudio"))) {
            // Apps served at "/" (RStudio, code-server) have no hub login of their own: the proxy
            // lets a browser in only with an access token the hub gives after checking access:servers.
            String prefix = Urls.serverPrefix(user, serverName);
            data.put("access_url", "/hub/open" + prefix.substring("/user".length(), prefix.length() - 1));
        }
        return data;
    }
}
