package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock API server in CRUD mode (objects are stored, listed and watched like a real API
 * server, but nothing runs them: tests play the scheduler and kubelet by patching pod status).
 * Listens on loopback only.
 */
public class KubernetesMockResource implements QuarkusTestResourceLifecycleManager {

    static volatile KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.kubernetes-client.api-server-url", server.url("/"));
        // The skeleton's ganymede.proxy.* keys have no mapping yet in this branch.
        config.put("smallrye.config.mapping.validate-unknown", "false");
        config.put("quarkus.kubernetes-client.namespace", "ganymede");
        config.put("ganymede.kubernetes.namespace", "ganymede");
        config.put("quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN");
        config.put("ganymede.kubernetes.image-pull-grace", "1s");
        config.put("ganymede.kubernetes.stop-timeout", "5s");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}
