package io.ganymede.e2e;

import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A browser-like client: it keeps cookies and follows redirects itself, as a person's browser does. */
final class Browser {

    final CookieManager cookies = new CookieManager();
    // HTTP/1.1 as browsers speak it without TLS: the JDK's default asks for an upgrade to h2c,
    // which no browser does and which configurable-http-proxy takes for a WebSocket.
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new RawPathCookies(cookies))
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** GETs a URL and follows redirects; returns the final response. */
    HttpResponse<String> open(String url) throws Exception {
        URI uri = URI.create(url);
        for (int hops = 0; hops < 15; hops++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 3) {
                return response;
            }
            uri = uri.resolve(response.headers().firstValue("Location").orElseThrow());
        }
        throw new IllegalStateException("too many redirects from " + url);
    }

    /** Posts a form and follows the redirects that come back. */
    HttpResponse<String> submit(String url, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 3) {
            return open(URI.create(url).resolve(response.headers().firstValue("Location").orElseThrow()).toString());
        }
        return response;
    }

    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    /** Signs in on the hub's development login page reached by {@code page}, then continues to {@code next}. */
    HttpResponse<String> signIn(HttpResponse<String> page, String user) throws Exception {
        String next = query(page.uri(), "next");
        return submit(page.uri().resolve("/hub/login").toString(),
                Map.of("username", user, "_xsrf", cookie("_xsrf"), "next", next == null ? "" : next));
    }

    /**
     * Matches cookie paths against the raw request path, as browsers do: the JDK's CookieManager
     * compares them with the decoded path, so a cookie set for {@code /user/o%27brien.../} (a
     * single-user server's OAuth state) would never be sent back to it.
     */
    private static final class RawPathCookies extends CookieHandler {
        private final CookieManager store;

        RawPathCookies(CookieManager store) {
            this.store = store;
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String matching = store.getCookieStore().getCookies().stream()
                    .filter(c -> !c.hasExpired())
                    .filter(c -> c.getPath() == null || path.startsWith(c.getPath())
                            || (c.getPath().endsWith("/") && path.equals(c.getPath().substring(0, c.getPath().length() - 1))))
                    .map(c -> c.getName() + "=" + c.getValue())
                    .collect(Collectors.joining("; "));
            return matching.isEmpty() ? Map.of() : Map.of("Cookie", List.of(matching));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) throws java.io.IOException {
            store.put(uri, headers);
        }
    }

    private static String query(URI uri, String key) {
        if (uri.getRawQuery() == null) {
            return null;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
