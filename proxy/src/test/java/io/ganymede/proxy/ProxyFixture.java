package io.ganymede.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.Handler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A proxy on free loopback ports, plus helpers to drive its API and public port from tests. */
public final class ProxyFixture implements AutoCloseable {

    public static final String TOKEN = "test-token";

    public final Vertx vertx = Vertx.vertx();
    public final ProxyServer proxy;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ProxyFixture() {
        this(ProxyOptions.defaults());
    }

    public ProxyFixture(ProxyOptions options) {
        proxy = await(ProxyServer.start(vertx, options.withPort(0).withApiPort(0).withAuthToken(TOKEN).withEventLoops(2)));
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain Vert.x backend on a free loopback port; returns its port. */
    public int backend(Handler<HttpServerRequest> handler) {
        HttpServer server = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(handler).listen());
        return server.actualPort();
    }

    public String publicUrl(String path) {
        return "http://127.0.0.1:" + proxy.publicPort() + path;
    }

    public HttpResponse<String> api(String method, String path, String body) {
        return api(method, path, body, "token " + TOKEN);
    }

    public HttpResponse<String> api(String method, String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.apiPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    public void addRoute(String path, String json) {
        HttpResponse<String> r = api("POST", "/api/routes" + path, json);
        if (r.statusCode() != 201) {
            throw new AssertionError("adding " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(publicUrl(path))).timeout(Duration.ofSeconds(20)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        await(proxy.close());
        await(vertx.close());
    }
}
