package io.ganymede.hub.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the hub runs and reaches the proxy; defaults and comments live in application.yaml. */
@ConfigMapping(prefix = "ganymede.proxy")
public interface ProxyConfig {

    @WithDefault("true")
    boolean embedded();

    @WithDefault("127.0.0.1")
    String publicIp();

    @WithDefault("8000")
    int publicPort();

    @WithDefault("127.0.0.1")
    String apiIp();

    @WithDefault("8001")
    int apiPort();

    /** The proxy API's URL, or several (one per replica), comma-separated. */
    @WithDefault("http://127.0.0.1:8001")
    java.util.List<String> apiUrl();

    /** Resolve the API URL's host to all its addresses and treat each as a replica (a headless Service). */
    @WithDefault("false")
    boolean replicasByDns();

    java.util.Optional<String> authToken();

    /** How often the hub compares the proxy's routes with the running servers and repairs them. */
    @WithDefault("60s")
    Duration checkInterval();
}
