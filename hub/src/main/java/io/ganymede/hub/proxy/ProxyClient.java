package io.ganymede.hub.proxy;

import io.ganymede.hub.config.HubAddress;
import io.ganymede.hub.spawn.Urls;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's side of the configurable-http-proxy REST API: the same calls JupyterHub makes, so the
 * hub drives Ganymede's proxy and CHP alike. Several proxy replicas each keep their own table in
 * memory, so every change goes to every replica, and reads merge what the replicas saw.
 */
@ApplicationScoped
public class ProxyClient {

    /** Route data: where the proxy sends a browser without an access cookie (an app without a login). */
    public static final String ACCESS_URL = "access_url";
    /** Route data: the hub's endpoint the proxy asks about API tokens on a gated route. */
    public static final String ACCESS_CHECK_URL = "access_check_url";

    private final WebClient client;
    private final Vertx vertx;
    private final EmbeddedProxy embedded;
    private final ProxyConfig config;
    private final ProxyToken token;
    private final HubAddress hub;

    ProxyClient(Vertx vertx, EmbeddedProxy embedded, ProxyConfig config, ProxyToken token, HubAddress hub) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true));
        this.vertx = vertx;
        this.embedded = embedded;
        this.config = config;
        this.token = token;
        this.hub = hub;
    }

    /** {@code GET <this>?path=<route>} answers whether the request's token may use the route. */
    public String accessCheckUrl() {
        return hub.internalUrl() + "/hub/api/routes/access";
    }

    /**
     * The API base URLs of every proxy replica: the embedded proxy, the configured URLs, or with
     * {@code replicas-by-dns} every address the URL's host name resolves to (a headless Service).
     */
    public Uni<List<String>> endpoints() {
        List<String> configured = embedded.apiUrls();
        if (!config.replicasByDns()) {
            return Uni.createFrom().item(configured);
        }
        return vertx.executeBlocking(() -> {
            List<String> all = new ArrayList<>();
            for (String url : configured) {
                URI uri = URI.create(url);
                for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                    String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
                    all.add(uri.getScheme() + "://" + host + ":" + uri.getPort());
                }
            }
            return all;
        });
    }

    /** Adds or replaces the route for a path prefix such as {@code /user/alice/}, on every replica. */
    public Uni<Void> addRoute(String path, String target, Map<String, Object> data) {
        return onEach(endpoint -> addRoute(endpoint, path, target, data));
    }

    public Uni<Void> deleteRoute(String path) {
        return onEach(endpoint -> deleteRoute(endpoint, path));
    }

    Uni<Void> addRoute(String endpoint, String path, String target, Map<String, Object> data) {
        JsonObject body = new JsonObject(new HashMap<>(data)).put("target", target);
        if (data.containsKey(ACCESS_URL)) {
            // A gated route also says where the proxy asks whether an API token may pass.
            body.put(ACCESS_CHECK_URL, accessCheckUrl());
        }
        return client.postAbs(routesUrl(endpoint) + path).putHeader("Authorization", "token " + token.value())
                .sendJsonObject(body).map(r -> expect(r, 201, "add route " + path)).replaceWithVoid();
    }

    Uni<Void> deleteRoute(String endpoint, String path) {
        return client.deleteAbs(routesUrl(endpoint) + path).putHeader("Authorization", "token " + token.value())
                .send().map(r -> expect(r, 204, "delete route " + path)).replaceWithVoid();
    }

    /**
     * The routing table, {@code path -> data (with target and last_activity)}, merged over the
     * replicas: a route's activity is the newest any replica saw, and with {@code inactiveSince}
     * a route is listed only when every replica has been idle on it since then.
     */
    public Uni<JsonObject> routes(String inactiveSince) {
        return endpoints().chain(endpoints -> Uni.join().all(endpoints.stream().map(e -> routesOf(e, inactiveSince)).toList())
                .andFailFast()).map(tables -> merge(tables, inactiveSince != null));
    }

    Uni<JsonObject> routesOf(String endpoint, String inactiveSince) {
        var request = client.getAbs(routesUrl(endpoint)).putHeader("Authorization", "token " + token.value());
        if (inactiveSince != null) {
            request.addQueryParam("inactive_since", inactiveSince);
        }
        return request.send().map(r -> escapedKeys(expect(r, 200, "list routes").bodyAsJsonObject()));
    }

    /**
     * configurable-http-proxy lists its routes unescaped ({@code /user/o'brien+x@example.com});
     * escaped again as JupyterHub does, they compare equal to the prefixes the hub made and can be
     * put back into an API URL.
     */
    private static JsonObject escapedKeys(JsonObject table) {
        JsonObject escaped = new JsonObject(new LinkedHashMap<>());
        table.forEach(e -> escaped.put(Urls.escapeRoute(e.getKey()), e.getValue()));
        return escaped;
    }

    static JsonObject merge(List<JsonObject> tables, boolean onlyWhereAllAgree) {
        Map<String, JsonObject> merged = new LinkedHashMap<>();
        for (JsonObject table : tables) {
            for (String path : table.fieldNames()) {
                JsonObject route = table.getJsonObject(path);
                merged.merge(path, route, (a, b) -> newer(a, b) ? a : b);
            }
        }
        if (onlyWhereAllAgree) {
            merged.keySet().removeIf(path -> tables.stream().anyMatch(t -> !t.containsKey(path)));
        }
        return new JsonObject(new LinkedHashMap<>(merged));
    }

    private static boolean newer(JsonObject a, JsonObject b) {
        String x = a.getString("last_activity");
        String y = b.getString("last_activity");
        return y == null || (x != null && OffsetDateTime.parse(x).isAfter(OffsetDateTime.parse(y)));
    }

    private Uni<Void> onEach(java.util.function.Function<String, Uni<Void>> call) {
        return endpoints().chain(endpoints -> Uni.join().all(endpoints.stream().map(call).toList())
                .andCollectFailures()).replaceWithVoid();
    }

    private static String routesUrl(String endpoint) {
        return endpoint.replaceAll("/+$", "") + "/api/routes";
    }

    private static HttpResponse<Buffer> expect(HttpResponse<Buffer> response, int status, String what) {
        if (response.statusCode() != status && !(status == 204 && response.statusCode() == 404)) {
            throw new IllegalStateException("proxy refused to " + what + ": " + response.statusCode() + " " + response.bodyAsString());
        }
        return response;
    }
}
