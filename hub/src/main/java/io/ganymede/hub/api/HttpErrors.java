package io.ganymede.hub.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors answered at the Vert.x level, below JAX-RS, in the shape the rest of the hub uses: the
 * API's {@code {"status", "message"}} under {@code /hub/api}, a line of text elsewhere.
 */
final class HttpErrors {

    static final String API_PREFIX = "/hub/api";

    private HttpErrors() {}

    static boolean api(HttpServerRequest request) {
        String path = request.path();
        return path != null && (path.equals(API_PREFIX) || path.startsWith(API_PREFIX + "/"));
    }

    /**
     * Answers {@code status} with {@code message}, then closes the connection when {@code close}:
     * whatever of the request is still unread must not be taken for the next request.
     */
    static void answer(RoutingContext rc, int status, String message, boolean close, String version) {
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            rc.request().connection().close();
            return;
        }
        response.setStatusCode(status);
        if (version != null && !response.headers().contains("X-JupyterHub-Version")) {
            response.putHeader("X-JupyterHub-Version", version);
        }
        String body;
        if (api(rc.request())) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            body = new JsonObject().put("status", status).put("message", message).encode();
        } else {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
            body = status + " " + message + "\n";
        }
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.end(body).onComplete(done -> rc.request().connection().close());
        } else {
            response.end(body);
        }
    }
}
