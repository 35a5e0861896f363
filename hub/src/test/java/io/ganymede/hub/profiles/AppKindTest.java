package io.ganymede.hub.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganymede.hub.spawn.RouteData;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each app kind owns its port, its health path and the route data the hub sends the proxy, in the
 * keys proxy/README.md defines ({@code strip_prefix}, {@code rstudio}, {@code access_url}) besides
 * JupyterHub's own ({@code jupyterhub}, {@code user}, {@code server_name}).
 */
class AppKindTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // app | port | health path | strip_prefix | rstudio | access_url for alice's server "work"
        "jupyterlab | 8888 | api | | | ",
        "rstudio | 8787 | '' | true | true | /hub/open/alice/work",
        "code-server | 8080 | healthz | true | | /hub/open/alice/work",
    })
    void portsHealthPathsAndRouteData(String id, int port, String health, Boolean strip, Boolean rstudio, String accessUrl) {
        AppKind app = AppKind.byId(id).orElseThrow();
        assertEquals(port, app.port());
        assertEquals(health == null ? "" : health, app.healthPath());

        Map<String, Object> expected = new LinkedHashMap<>();
        if (strip != null) {
            expected.put("strip_prefix", strip);
        }
        if (rstudio != null) {
            expected.put("rstudio", rstudio);
        }
        assertEquals(expected, app.routeData());

        Map<String, Object> route = new LinkedHashMap<>(expected);
        route.put("jupyterhub", true);
        route.put("user", "alice");
        route.put("server_name", "work");
        if (accessUrl != null) {
            // No login of its own: the proxy admits only browsers the hub let in.
            route.put("access_url", accessUrl);
        }
        assertEquals(route, RouteData.forServer("alice", "work", app.routeData()));
    }
}
