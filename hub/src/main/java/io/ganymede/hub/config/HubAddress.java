package io.ganymede.hub.config;

import io.quarkus.vertx.http.HttpServerStart;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Where servers and the proxy reach the hub: {@code ganymede.hub.internal-url} when set, otherwise
 * the address the hub's HTTP server actually bound (its port may be chosen at start).
 */
@ApplicationScoped
public class HubAddress {

    /** Observers of {@link HttpServerStart} that need the address run after this priority. */
    public static final int RESOLVED = 1;

    private final HubConfig config;
    private volatile String internalUrl;

    HubAddress(HubConfig config) {
        this.config = config;
    }

    void resolve(@Observes @Priority(RESOLVED) HttpServerStart start) {
        internalUrl = config.hub().internalUrl()
                .orElse("http://" + loopbackIfWildcard(start.options().getHost()) + ":" + start.options().getPort());
    }

    private static String loopbackIfWildcard(String host) {
        return host == null || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /** The hub's URL without trailing slash, e.g. {@code http://127.0.0.1:8081}. */
    public String internalUrl() {
        String url = internalUrl;
        if (url == null) {
            throw new IllegalStateException("the hub's HTTP server has not started yet");
        }
        return url.replaceAll("/+$", "");
    }
}
