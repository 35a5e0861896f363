package io.ganymede.proxy.routing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Where a route sends traffic, parsed once when the route is added rather than per request. */
public record Target(String url, String host, int port, boolean ssl, String basePath) {

    /** Accepts absolute http, https, ws and wss URLs with a host; anything else is refused. */
    public static Target parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "target must be an absolute http(s) URL like http://host:port, got: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean ssl = switch (scheme) {
            case "http", "ws" -> false;
            case "https", "wss" -> true;
            default -> throw new IllegalArgumentException(
                    "target must be an absolute http(s) URL like http://host:port, got: " + url);
        };
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("target has no host: " + url);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Target(url, host, port, ssl, path);
    }

    /** The target's base path joined with the request's path and query, as CHP's prependPath does. */
    public String uriFor(String pathAndQuery) {
        return basePath.isEmpty() ? pathAndQuery : basePath + pathAndQuery;
    }

    /** "http://host:port" as the target itself would write it in a redirect. */
    public String origin() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (ssl ? "https://" : "http://") + h + ":" + port;
    }
}
