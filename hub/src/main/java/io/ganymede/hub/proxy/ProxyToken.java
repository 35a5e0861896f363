package io.ganymede.hub.proxy;

import io.ganymede.hub.tokens.Secrets;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The secret shared with the proxy's REST API: the configured one, or for the embedded proxy a
 * random one made at start, so a fresh install needs no secret to run safely.
 */
@ApplicationScoped
public class ProxyToken {

    private final String value;

    ProxyToken(ProxyConfig config) {
        if (config.authToken().isPresent()) {
            value = config.authToken().get();
        } else if (config.embedded()) {
            value = Secrets.newSecret();
        } else {
            throw new IllegalStateException(
                    "ganymede.proxy.auth-token (GANYMEDE_PROXY_AUTH_TOKEN) must be set when the proxy is not embedded");
        }
    }

    public String value() {
        return value;
    }
}
