package io.ganymede.hub.api;

import io.ganymede.hub.config.HubConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;

/**
 * Adds {@code X-JupyterHub-Version} to every hub response, errors included: jupyterhub-singleuser
 * reads it from its first API call, and clients use it to pick features.
 */
public class VersionHeaderFilter {

    void register(@Observes Filters filters, HubConfig config) {
        String version = config.jupyterhubVersion();
        filters.register(rc -> {
            rc.response().putHeader("X-JupyterHub-Version", version);
            rc.next();
        }, 100);
    }
}
