package io.ganymede.hub.api;

import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.culler.CullerConfig;
import io.ganymede.hub.culler.IdleCuller;
import io.ganymede.hub.scopes.NeedsScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /hub/api/culler}: the built-in culler's settings and its last pass on this replica. */
@Path("/hub/api/culler")
@Produces(MediaType.APPLICATION_JSON)
public class CullerResource {

    private final CullerConfig config;
    private final IdleCuller culler;
    private final CurrentCaller caller;

    CullerResource(CullerConfig config, IdleCuller culler, CurrentCaller caller) {
        this.config = config;
        this.culler = culler;
        this.caller = caller;
    }

    @GET
    @NeedsScope("admin:servers")
    public Map<String, Object> status() {
        // The culler acts on every server: a filtered admin:servers is not enough to see it.
        if (!caller.require().permissions().holdsUnfiltered("admin:servers")) {
            throw new ApiException(403, "Action is not authorized with current scopes; requires any of [admin:servers]");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", config.enabled());
        body.put("timeout", config.timeout().toSeconds());
        body.put("every", config.every().toSeconds());
        body.put("max_age", config.maxAge().toSeconds());
        body.put("leader", culler.leader());
        IdleCuller.PassReport last = culler.lastPass();
        if (last == null) {
            body.put("last_pass", null);
        } else {
            Map<String, Object> pass = new LinkedHashMap<>();
            pass.put("started", ApiModels.iso(last.started()));
            pass.put("duration_ms", last.durationMs());
            pass.put("checked", last.checked());
            pass.put("culled", last.culled());
            body.put("last_pass", pass);
        }
        return body;
    }
}
