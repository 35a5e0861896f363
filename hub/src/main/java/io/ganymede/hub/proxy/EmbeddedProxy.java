package io.ganymede.hub.proxy;

import io.ganymede.proxy.ProxyOptions;
import io.ganymede.proxy.ProxyServer;
import io.ganymede.hub.config.HubAddress;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The embedded default: the proxy runs inside the hub's JVM, on the hub's Vert.x, so one process
 * serves everything on the public port.
 */
@ApplicationScoped
public class EmbeddedProxy {

    private static final Logger LOG = Logger.getLogger(EmbeddedProxy.class);

    private final ProxyConfig config;

    private final ProxyToken token;
    private final HubAddress hub;
    private volatile ProxyServer server;

    EmbeddedProxy(ProxyConfig config, ProxyToken token, HubAddress hub) {
        this.config = config;
        this.hub = hub;
        this.token = token;
    }

    /**
     * Routes are added through the proxy's API like for an external proxy; the hub's own route is
     * set here already when its address is known, so the public port serves the hub from the start.
     */
    void start(@Observes StartupEvent event, Vertx vertx) throws Exception {
        if (!config.embedded()) {
            return;
        }
        ProxyOptions options = ProxyOptions.defaults()
                .withIp(config.publicIp())
                .withPort(config.publicPort())
                .withApiIp(config.apiIp())
                .withApiPort(config.apiPort())
                .withAuthToken(token.value())
                .withDefaultTarget(hub.knownBeforeStart().orElse(null))
                // As JupyterHub runs CHP with --error-target: a server that does not answer gets the hub's page.
                .withErrorTarget(hub.knownBeforeStart().map(url -> url.replaceAll("/+$", "") + "/hub/error").orElse(null));
        server = ProxyServer.start(vertx, options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("proxy listening on http://%s:%d (API on %s:%d)", config.publicIp(), server.publicPort(),
                config.apiIp(), server.apiPort());
    }

    /** The API's URLs: the bound port when embedded (the configured one may be 0), else the configured ones. */
    public java.util.List<String> apiUrls() {
        ProxyServer running = server;
        return running == null ? config.apiUrl() : java.util.List.of("http://" + config.apiIp() + ":" + running.apiPort());
    }

    /** The public port the embedded proxy listens on (the configured one may be 0), or -1 when not embedded. */
    public int publicPort() {
        ProxyServer running = server;
        return running == null ? -1 : running.publicPort();
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
