package io.ganymede.hub.spawn;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Turns a user's start options into the server's spec (the merged profile overrides a spawner
 * reads). Without profiles every server gets the spawner's defaults.
 */
@ApplicationScoped
public class ServerSpecs {

    public Map<String, Object> resolve(String user, Map<String, Object> options) {
        return Map.of();
    }
}
