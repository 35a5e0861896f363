package io.ganymede.hub.proxy;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The hub's side of the configurable-http-proxy REST API: the same calls JupyterHub makes, so the
 * hub drives Ganymede's proxy and CHP alike.
 */
@ApplicationScoped
public class ProxyClient {

    private final WebClient client;
    private final EmbeddedProxy embedded;
    private final ProxyToken token;

    ProxyClient(Vertx vertx, EmbeddedProxy embedded, ProxyToken token) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true));
        this.embedded = embedded;
        this.token = token;
    }

    private String routes() {
        return embedded.apiUrl().replaceAll("/+$", "") + "/api/routes";
    }

    /** Adds or replaces the route for a path prefix such as {@code /user/alice/}. */
    public Uni<Void> addRoute(String path, String target, Map<String, Object> data) {
        JsonObject body = new JsonObject(new java.util.HashMap<>(data)).put("target", target);
        return client.postAbs(routes() + path).putHeader("Authorization", "token " + token.value())
                .sendJsonObject(body).map(r -> expect(r, 201, "add route " + path)).replaceWithVoid();
    }

    public Uni<Void> deleteRoute(String path) {
        return client.deleteAbs(routes() + path).putHeader("Authorization", "token " + token.value())
                .send().map(r -> expect(r, 204, "delete route " + path)).replaceWithVoid();
    }

    /** The routing table, {@code path -> data (with target and last_activity)}. */
    public Uni<JsonObject> routes(String inactiveSince) {
        var request = client.getAbs(routes()).putHeader("Authorization", "token " + token.value());
        if (inactiveSince != null) {
            request.addQueryParam("inactive_since", inactiveSince);
        }
        return request.send().map(r -> expect(r, 200, "list routes").bodyAsJsonObject());
    }

    private static HttpResponse<Buffer> expect(HttpResponse<Buffer> response, int status, String what) {
        if (response.statusCode() != status && !(status == 204 && response.statusCode() == 404)) {
            throw new IllegalStateException("proxy refused to " + what + ": " + response.statusCode() + " " + response.bodyAsString());
        }
        return response;
    }
}
