package io.ganymede.hub.config;

import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where servers and the proxy reach the hub: {@code ganymede.hub.internal-url} when set, otherwise
 * the address the hub's HTTP server actually bound (its port may be chosen at start).
 */
@ApplicationScoped
public class HubAddress {

    private final HubConfig config;
    private final HttpServer server;
    private final CountDownLatch resolved = new CountDownLatch(1);
    private volatile String internalUrl;

    HubAddress(HubConfig config, HttpServer server) {
        this.config = config;
        this.server = server;
    }

    void resolve(@ObservesAsync HttpServerStart start) {
        internalUrl = config.hub().internalUrl()
                .orElse("http://" + loopbackIfWildcard(start.options().getHost()) + ":" + server.getPort());
        resolved.countDown();
    }

    private static String loopbackIfWildcard(String host) {
        return host == null || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /**
     * The hub's URL when it is known before the hub listens: configured, or from a fixed port.
     * With port 0 the address exists only once the port is chosen.
     */
    public java.util.Optional<String> knownBeforeStart() {
        if (config.hub().internalUrl().isPresent()) {
            return config.hub().internalUrl();
        }
        var quarkus = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String portKey = io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int port = quarkus.getOptionalValue(portKey, Integer.class).orElse(0);
        String host = quarkus.getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1");
        return port == 0
                ? java.util.Optional.empty()
                : java.util.Optional.of("http://" + loopbackIfWildcard(host) + ":" + port);
    }

    /** The hub's URL without trailing slash, e.g. {@code http://127.0.0.1:8081}. */
    public String internalUrl() {
        try {
            // Quarkus announces the bound address asynchronously, moments after it listens.
            if (!resolved.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the hub's HTTP server has not started");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return internalUrl.replaceAll("/+$", "");
    }
}
