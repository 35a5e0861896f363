package io.ganymede.proxy.metrics;

import io.ganymede.proxy.routing.Route;
import io.ganymede.proxy.routing.RouteTable;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy's counters, shared by all event loops. LongAdder keeps increments contention-free; the
 * Prometheus text is only built when scraped.
 */
public final class ProxyMetrics {

    /** Why a request did not get a normal answer from its target. */
    public enum ErrorKind {
        NO_ROUTE, CONNECT, TIMEOUT, RESET, ERROR_TARGET;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongAdder httpRequests = new LongAdder();
    private final LongAdder webSocketUpgrades = new LongAdder();
    private final LongAdder[] responsesByClass = newAdders(6);
    private final LongAdder bytesFromClients = new LongAdder();
    private final LongAdder bytesFromTargets = new LongAdder();
    private final LongAdder openWebSockets = new LongAdder();
    private final LongAdder apiRequests = new LongAdder();
    private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);

    public ProxyMetrics() {
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    private static LongAdder[] newAdders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    public void httpRequest() {
        httpRequests.increment();
    }

    public void webSocketUpgrade() {
        webSocketUpgrades.increment();
    }

    public void response(int status) {
        int cls = status / 100;
        responsesByClass[cls >= 1 && cls <= 5 ? cls : 0].increment();
    }

    public LongAdder bytesFromClients() {
        return bytesFromClients;
    }

    public LongAdder bytesFromTargets() {
        return bytesFromTargets;
    }

    public void webSocketOpened() {
        openWebSockets.increment();
    }

    public void webSocketClosed() {
        openWebSockets.decrement();
    }

    public long openWebSockets() {
        return openWebSockets.sum();
    }

    public void apiRequest() {
        apiRequests.increment();
    }

    public void error(ErrorKind kind) {
        errors.get(kind).increment();
    }

    public long errors(ErrorKind kind) {
        return errors.get(kind).sum();
    }

    /** Prometheus text exposition format 0.0.4. */
    public String render(RouteTable routes) {
        StringBuilder out = new StringBuilder(1024 + 96 * routes.size());
        counter(out, "ganymede_proxy_http_requests_total", "HTTP requests received on the public port",
                httpRequests.sum());
        counter(out, "ganymede_proxy_websocket_upgrades_total", "WebSocket upgrade requests received",
                webSocketUpgrades.sum());
        header(out, "ganymede_proxy_responses_total", "Responses sent, by status class", "counter");
        String[] classes = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
        for (int i = 0; i < classes.length; i++) {
            out.append("ganymede_proxy_responses_total{class=\"").append(classes[i]).append("\"} ")
                    .append(responsesByClass[i].sum()).append('\n');
        }
        header(out, "ganymede_proxy_bytes_total", "Body and WebSocket bytes forwarded, by direction", "counter");
        out.append("ganymede_proxy_bytes_total{direction=\"to_target\"} ").append(bytesFromClients.sum()).append('\n');
        out.append("ganymede_proxy_bytes_total{direction=\"to_client\"} ").append(bytesFromTargets.sum()).append('\n');
        header(out, "ganymede_proxy_websockets_open", "WebSocket connections currently open", "gauge");
        out.append("ganymede_proxy_websockets_open ").append(openWebSockets.sum()).append('\n');
        header(out, "ganymede_proxy_errors_total", "Requests not answered by their target, by kind", "counter");
        for (Map.Entry<ErrorKind, LongAdder> e : errors.entrySet()) {
            out.append("ganymede_proxy_errors_total{kind=\"").append(e.getKey().label()).append("\"} ")
                    .append(e.getValue().sum()).append('\n');
        }
        counter(out, "ganymede_proxy_api_requests_total", "REST API requests", apiRequests.sum());
        header(out, "ganymede_proxy_routes", "Routes in the routing table", "gauge");
        Map<String, Route> all = new TreeMap<>(routes.all());
        out.append("ganymede_proxy_routes ").append(all.size()).append('\n');
        header(out, "ganymede_proxy_route_activity_age_seconds", "Seconds since each route last saw traffic", "gauge");
        long now = System.currentTimeMillis();
        for (Route route : all.values()) {
            out.append("ganymede_proxy_route_activity_age_seconds{route=\"").append(escape(route.path())).append("\"} ")
                    .append(Math.max(0, now - route.lastActivityMillis()) / 1000.0).append('\n');
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "counter");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
