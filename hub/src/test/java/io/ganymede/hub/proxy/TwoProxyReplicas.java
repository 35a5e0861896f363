package io.ganymede.hub.proxy;

import io.ganymede.proxy.ProxyOptions;
import io.ganymede.proxy.ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Two standalone Ganymede proxies on loopback, as two replicas behind one Service. */
public class TwoProxyReplicas implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "replica-token";
    static final List<ProxyServer> REPLICAS = new ArrayList<>();
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        System.setProperty("vertx.disableWebsockets", "false");
        vertx = Vertx.vertx();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try {
                ProxyServer server = ProxyServer.start(vertx, ProxyOptions.defaults().withPort(0).withApiPort(0).withAuthToken(TOKEN))
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                REPLICAS.add(server);
                urls.add("http://127.0.0.1:" + server.apiPort());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return Map.of("ganymede.proxy.embedded", "false",
                "ganymede.proxy.api-url", String.join(",", urls),
                "ganymede.proxy.auth-token", TOKEN);
    }

    @Override
    public void stop() {
        REPLICAS.forEach(ProxyServer::close);
        REPLICAS.clear();
        vertx.close();
    }
}
