package io.ganymede.proxy;

import java.time.Duration;

/**
 * How a proxy is started. Use {@link #defaults()} and the {@code withX} copies.
 *
 * @param ip               public interface to bind; "" or "*" means all interfaces
 * @param port             public port; 0 picks a free one ({@link ProxyServer#publicPort()} tells which)
 * @param apiIp            interface of the REST API, which should stay private
 * @param apiPort          REST API port; 0 picks a free one
 * @param authToken        the token the REST API requires; null or empty disables auth, as in CHP
 * @param defaultTarget    target of the "/" route added at start, or null for none
 * @param errorTarget      where error pages come from ({@code {errorTarget}/{code}?url=...}), or null
 * @param connectTimeout   how long to wait for a target to accept a connection before answering 503
 * @param idleTimeout      how long a target may stay silent during a request before it is cut off
 *                         (504); generous by default because RStudio and Jupyter long-poll
 * @param keepAliveTimeout how long an unused pooled connection to a target is kept open
 * @param eventLoops       event loops of the standalone proxy's Vert.x, 0 meaning one per core; an
 *                         embedded proxy serves on all loops of the application's Vert.x
 * @param xForward         whether to add X-Forwarded-For/Proto/Host/Port, as CHP does by default
 */
public record ProxyOptions(String ip, int port, String apiIp, int apiPort, String authToken,
                           String defaultTarget, String errorTarget, Duration connectTimeout,
                           Duration idleTimeout, Duration keepAliveTimeout, int eventLoops,
                           boolean xForward) {

    public static ProxyOptions defaults() {
        return new ProxyOptions("127.0.0.1", 8000, "127.0.0.1", 8001, null, null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(60), 0, true);
    }

    /** The address to bind for an interface option: "", "*" or null mean all interfaces. */
    public static String bindAddress(String ip) {
        return ip == null || ip.isEmpty() || ip.equals("*") ? "0.0.0.0" : ip;
    }

    public ProxyOptions withIp(String v) {
        return new ProxyOptions(v, port, apiIp, apiPort, authToken, defaultTarget, errorTarget,
                connectTimeout, idleTimeout, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withPort(int v) {
        return new ProxyOptions(ip, v, apiIp, apiPort, authToken, defaultTarget, errorTarget,
                connectTimeout, idleTimeout, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withApiIp(String v) {
        return new ProxyOptions(ip, port, v, apiPort, authToken, defaultTarget, errorTarget,
                connectTimeout, idleTimeout, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withApiPort(int v) {
        return new ProxyOptions(ip, port, apiIp, v, authToken, defaultTarget, errorTarget,
                connectTimeout, idleTimeout, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withAuthToken(String v) {
        return new ProxyOptions(ip, port, apiIp, apiPort, v, defaultTarget, errorTarget,
                connectTimeout, idleTimeout, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withDefaultTarget(String v) {
        return new ProxyOptions(ip, port, apiIp, apiPort, authToken, v, errorTarget,
                connectTimeout, idleTimeout, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withErrorTarget(String v) {
        return new ProxyOptions(ip, port, apiIp, apiPort, authToken, defaultTarget, v,
                connectTimeout, idleTimeout, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withConnectTimeout(Duration v) {
        return new ProxyOptions(ip, port, apiIp, apiPort, authToken, defaultTarget, errorTarget,
                v, idleTimeout, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withIdleTimeout(Duration v) {
        return new ProxyOptions(ip, port, apiIp, apiPort, authToken, defaultTarget, errorTarget,
                connectTimeout, v, keepAliveTimeout, eventLoops, xForward);
    }

    public ProxyOptions withKeepAliveTimeout(Duration v) {
        return new ProxyOptions(ip, port, apiIp, apiPort, authToken, defaultTarget, errorTarget,
                connectTimeout, idleTimeout, v, eventLoops, xForward);
    }

    public ProxyOptions withEventLoops(int v) {
        return new ProxyOptions(ip, port, apiIp, apiPort, authToken, defaultTarget, errorTarget,
                connectTimeout, idleTimeout, keepAliveTimeout, v, xForward);
    }

    public ProxyOptions withXForward(boolean v) {
        return new ProxyOptions(ip, port, apiIp, apiPort, authToken, defaultTarget, errorTarget,
                connectTimeout, idleTimeout, keepAliveTimeout, eventLoops, v);
    }
}
