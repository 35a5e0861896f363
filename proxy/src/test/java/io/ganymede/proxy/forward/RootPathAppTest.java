package io.ganymede.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganymede.proxy.ProxyFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** RStudio and code-server expect to live at "/": the route strips its prefix and fixes redirects. */
class RootPathAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static int rstudioLike(ProxyFixture fx) {
        return fx.backend(request -> {
            switch (request.path()) {
                case "/auth" -> request.response().setStatusCode(302).putHeader("Location", "/auth-sign-in?x=1").end();
                case "/abs" -> request.response().setStatusCode(302)
                        .putHeader("Location", "http://" + request.getHeader("Host") + "/s/abs-target").end();
                case "/aware" -> request.response().setStatusCode(302)
                        .putHeader("Location", "/user/alice/rstudio/already").end();
                case "/away" -> request.response().setStatusCode(302).putHeader("Location", "https://example.org/x").end();
                default -> HttpForwardingTest.echo(request);
            }
        });
    }

    private static HttpResponse<String> get(ProxyFixture fx, String path) {
        return fx.send(HttpRequest.newBuilder(URI.create(fx.publicUrl(path)))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "hub.example.org").build());
    }

    @Test
    void rstudioRouteStripsThePrefixAndSetsRootPathHeaders() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = rstudioLike(fx);
            fx.addRoute("/user/alice/rstudio", "{\"target\": \"http://127.0.0.1:" + port + "\", \"rstudio\": true}");
            JsonNode seen = JSON.readTree(get(fx, "/user/alice/rstudio/p/05/session?a=b").body());
            assertEquals("/p/05/session?a=b", seen.get("uri").asText());
            JsonNode h = seen.get("headers");
            assertEquals("/user/alice/rstudio", h.get("x-rstudio-root-path").asText());
            assertEquals("https://hub.example.org/user/alice/rstudio/p/05/session?a=b", h.get("x-rstudio-request").asText());
            assertEquals("/", JSON.readTree(get(fx, "/user/alice/rstudio/").body()).get("uri").asText());
        }
    }

    @Test
    void redirectsFromTheTargetGoBackUnderThePrefix() {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = rstudioLike(fx);
            fx.addRoute("/user/alice/rstudio", "{\"target\": \"http://127.0.0.1:" + port + "\", \"rstudio\": true}");
            assertEquals("/user/alice/rstudio/auth-sign-in?x=1", location(get(fx, "/user/alice/rstudio/auth")));
            assertEquals("/user/alice/rstudio/s/abs-target", location(get(fx, "/user/alice/rstudio/abs")));
            assertEquals("/user/alice/rstudio/already", location(get(fx, "/user/alice/rstudio/aware")));
            assertEquals("https://example.org/x", location(get(fx, "/user/alice/rstudio/away")));
        }
    }

    @Test
    void thePrefixWithoutTrailingSlashRedirectsToIt() {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = rstudioLike(fx);
            fx.addRoute("/user/alice/rstudio", "{\"target\": \"http://127.0.0.1:" + port + "\", \"rstudio\": true}");
            HttpResponse<String> r = fx.send(HttpRequest.newBuilder(URI.create(fx.publicUrl("/user/alice/rstudio?q=1"))).build());
            assertEquals(301, r.statusCode());
            assertEquals("/user/alice/rstudio/?q=1", location(r));
        }
    }

    @Test
    void stripPrefixAloneServesCodeServerWithExtraHeaders() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = rstudioLike(fx);
            fx.addRoute("/user/bob/code", "{\"target\": \"http://127.0.0.1:" + port + "\", \"strip_prefix\": true,"
                    + " \"headers\": {\"X-Code-Base\": \"/user/bob/code\"}}");
            JsonNode seen = JSON.readTree(get(fx, "/user/bob/code/static/x.js").body());
            assertEquals("/static/x.js", seen.get("uri").asText());
            assertEquals("/user/bob/code", seen.get("headers").get("x-code-base").asText());
            assertNull(seen.get("headers").get("x-rstudio-root-path"));
            assertEquals("/user/bob/code/auth-sign-in?x=1", location(get(fx, "/user/bob/code/auth")));
        }
    }

    @Test
    void ordinaryRoutesKeepThePrefixAndTheirRedirects() throws Exception {
        try (ProxyFixture fx = new ProxyFixture()) {
            int port = rstudioLike(fx);
            fx.addRoute("/user/carol", "{\"target\": \"http://127.0.0.1:" + port + "\"}");
            assertEquals("/user/carol/x", JSON.readTree(get(fx, "/user/carol/x").body()).get("uri").asText());
        }
    }

    private static String location(HttpResponse<String> r) {
        return r.headers().firstValue("Location").orElse(null);
    }

}
