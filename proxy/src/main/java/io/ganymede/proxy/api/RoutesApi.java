package io.ganymede.proxy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.routing.Route;
import io.ganymede.proxy.routing.RoutePath;
import io.ganymede.proxy.routing.RouteTable;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * configurable-http-proxy's REST API: {@code GET|POST|DELETE /api/routes[/path]} behind
 * {@code Authorization: token <token>}, plus Prometheus {@code /metrics}, which is left open for
 * scrapers because this port is never public.
 */
public final class RoutesApi implements Handler<HttpServerRequest> {

    private static final System.Logger LOG = System.getLogger(RoutesApi.class.getName());
    private static final String PREFIX = "/api/routes";
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RouteTable routes;
    private final ProxyMetrics metrics;
    private final byte[] token;

    public RoutesApi(RouteTable routes, ProxyMetrics metrics, String authToken) {
        this.routes = routes;
        this.metrics = metrics;
        this.token = authToken == null || authToken.isEmpty() ? null : authToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpServerRequest request) {
        metrics.apiRequest();
        String path = request.path();
        if (path.equals("/metrics") && request.method() == HttpMethod.GET) {
            request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.render(routes));
            return;
        }
        if (!path.startsWith(PREFIX) || (path.length() > PREFIX.length() && path.charAt(PREFIX.length()) != '/')) {
            error(request.response(), 404, "Not found: " + path);
            return;
        }
        if (!authorized(request.getHeader("Authorization"))) {
            LOG.log(Level.DEBUG, "rejecting API request without a valid token");
            request.response().setStatusCode(403).end();
            return;
        }
        String routePath = RoutePath.decode(path.substring(PREFIX.length()));
        HttpMethod method = request.method();
        if (method == HttpMethod.GET) {
            get(request, routePath);
        } else if (method == HttpMethod.POST) {
            post(request, routePath);
        } else if (method == HttpMethod.DELETE) {
            delete(request.response(), routePath);
        } else {
            error(request.response(), 405, "Method not supported");
        }
    }

    private boolean authorized(String header) {
        if (token == null) {
            return true;
        }
        if (header == null) {
            return false;
        }
        String[] parts = header.trim().split("\\s+");
        return parts.length == 2 && parts[0].equalsIgnoreCase("token")
                && MessageDigest.isEqual(token, parts[1].getBytes(StandardCharsets.UTF_8));
    }

    private void get(HttpServerRequest request, String routePath) {
        HttpServerResponse response = request.response();
        if (!RoutePath.clean(routePath).equals("/")) {
            Route route = routes.get(routePath);
            if (route == null) {
                error(response, 404, "No route " + RoutePath.clean(routePath));
            } else {
                json(response, 200, route.toJson());
            }
            return;
        }
        String since = request.getParam("inactive_since");
        if (since == null) {
            since = request.getParam("inactiveSince");
        }
        Long sinceMillis = null;
        if (since != null) {
            sinceMillis = Iso8601.parseMillis(since);
            if (sinceMillis == null) {
                error(response, 400, "Invalid datestamp '" + since + "' must be ISO8601.");
                return;
            }
        }
        ObjectNode all = JSON.createObjectNode();
        for (Map.Entry<String, Route> entry : new TreeMap<>(routes.all()).entrySet()) {
            if (sinceMillis == null || entry.getValue().lastActivityMillis() < sinceMillis) {
                all.set(entry.getKey(), entry.getValue().toJson());
            }
        }
        json(response, 200, all);
    }

    private void post(HttpServerRequest request, String routePath) {
        String length = request.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY_BYTES) {
            error(request.response(), 413, "Route data larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        request.body().onComplete(body -> {
            HttpServerResponse response = request.response();
            if (body.failed()) {
                error(response, 400, "Could not read body: " + body.cause().getMessage());
                return;
            }
            JsonNode data;
            try {
                Buffer buffer = body.result();
                data = buffer.length() == 0 ? JSON.createObjectNode() : JSON.readTree(buffer.getBytes());
            } catch (JsonProcessingException e) {
                error(response, 400, "Body not valid JSON: " + e.getOriginalMessage());
                return;
            } catch (java.io.IOException e) {
                error(response, 400, "Body not valid JSON: " + e.getMessage());
                return;
            }
            if (data == null || !data.isObject()) {
                error(response, 400, "Body must be a JSON object like {\"target\": \"http://host:port\"}");
                return;
            }
            try {
                Route route = routes.add(routePath, (ObjectNode) data);
                LOG.log(Level.INFO, "Route added {0} -> {1}", route.path(), route.target().url());
                response.setStatusCode(201).end();
            } catch (IllegalArgumentException e) {
                error(response, 400, e.getMessage());
            }
        });
    }

    private void delete(HttpServerResponse response, String routePath) {
        Route removed = routes.remove(routePath);
        if (removed == null) {
            error(response, 404, "No route " + RoutePath.clean(routePath));
            return;
        }
        LOG.log(Level.INFO, "Route removed {0}", removed.path());
        response.setStatusCode(204).end();
    }

    private static void json(HttpServerResponse response, int status, JsonNode body) {
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(HttpServerResponse response, int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", status);
        body.put("message", message);
        json(response, status, body);
    }
}
