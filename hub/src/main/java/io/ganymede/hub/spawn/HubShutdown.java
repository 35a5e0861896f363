package io.ganymede.hub.spawn;

import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends the hub when asked on the API ({@code POST /hub/api/shutdown}), optionally overriding
 * whether servers are stopped with it, as JupyterHub's {@code servers} flag overrides
 * {@code cleanup_servers}. A bean of its own so tests can observe a request without exiting.
 */
@ApplicationScoped
public class HubShutdown {

    private final SpawnConfig config;
    private volatile Boolean stopServers;

    protected HubShutdown(SpawnConfig config) {
        this.config = config;
    }

    /** Starts the shutdown and returns at once; {@code stopServers} null keeps the configured choice. */
    public void request(Boolean stopServers) {
        this.stopServers = stopServers;
        Quarkus.asyncExit();
    }

    /** Whether servers are stopped as the hub goes down. */
    public boolean stopServers() {
        Boolean requested = stopServers;
        return requested == null ? config.cleanupOnShutdown() : requested;
    }
}
