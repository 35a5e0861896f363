package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers cross the proxy, in each direction, and what it adds or rewrites on the way. */
final class ProxyHeaders {

    /**
     * Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection and are not forwarded; host is
     * sent as the request's authority instead, expect is answered by the proxy itself.
     */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade", "host", "expect");

    private ProxyHeaders() {
    }

    static void toTarget(HttpServerRequest request, MultiMap out, Route route, boolean upgrade, boolean xForward) {
        MultiMap in = request.headers();
        List<String> connection = connectionTokens(in.get("connection"));
        for (Map.Entry<String, String> header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !connection.contains(name)) {
                out.add(header.getKey(), header.getValue());
            }
        }
        if (upgrade) {
            out.set("Connection", "Upgrade");
            out.set("Upgrade", in.get("upgrade"));
        }
        if (xForward) {
            addForwarded(request, out);
        }
        for (Map.Entry<String, String> header : route.headers()) {
            out.set(header.getKey(), header.getValue());
        }
        if (route.rstudio()) {
            out.set("X-RStudio-Root-Path", route.path());
            out.set("X-RStudio-Request", externalUrl(request));
        }
    }

    /** As CHP (http-proxy's xfwd): append to For/Port/Proto chains, keep the first Host. */
    private static void addForwarded(HttpServerRequest request, MultiMap out) {
        String scheme = request.isSSL() ? "https" : "http";
        HostAndPort authority = request.authority();
        int port = authority != null && authority.port() > 0 ? authority.port() : request.isSSL() ? 443 : 80;
        String remote = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        append(out, "X-Forwarded-For", remote);
        append(out, "X-Forwarded-Port", Integer.toString(port));
        append(out, "X-Forwarded-Proto", scheme);
        if (!out.contains("X-Forwarded-Host") && authority != null) {
            out.set("X-Forwarded-Host", authority.toString());
        }
    }

    private static void append(MultiMap headers, String name, String value) {
        String existing = headers.get(name);
        headers.set(name, existing == null || existing.isEmpty() ? value : existing + "," + value);
    }

    /** The URL the browser asked for, as seen in front of any load balancer that set X-Forwarded-*. */
    static String externalUrl(HttpServerRequest request) {
        String proto = first(request.getHeader("X-Forwarded-Proto"));
        if (proto == null) {
            proto = request.isSSL() ? "https" : "http";
        }
        String host = first(request.getHeader("X-Forwarded-Host"));
        if (host == null) {
            HostAndPort authority = request.authority();
            host = authority == null ? "localhost" : authority.toString();
        }
        return proto + "://" + host + request.uri();
    }

    private static String first(String commaList) {
        if (commaList == null || commaList.isBlank()) {
            return null;
        }
        int comma = commaList.indexOf(',');
        return (comma < 0 ? commaList : commaList.substring(0, comma)).trim();
    }

    static void toClient(MultiMap in, MultiMap out, Route route, HttpServerRequest request, boolean upgrade) {
        List<String> connection = connectionTokens(in.get("connection"));
        for (Map.Entry<String, String> header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean hop = NOT_FORWARDED.contains(name) || connection.contains(name);
            if (!hop || (upgrade && (name.equals("connection") || name.equals("upgrade")))) {
                out.add(header.getKey(), header.getValue());
            }
        }
        if (route.stripPrefix()) {
            String location = in.get("location");
            if (location != null) {
                HostAndPort authority = request.authority();
                out.set("Location", LocationRewrite.underPrefix(location, route,
                        authority == null ? null : authority.toString()));
            }
        }
    }

    /** Header names listed in Connection are hop-by-hop too (RFC 9110 7.6.1), lower-cased. */
    private static List<String> connectionTokens(String connection) {
        if (connection == null || connection.isEmpty()) {
            return List.of();
        }
        if (connection.indexOf(',') < 0) {
            return List.of(connection.trim().toLowerCase(Locale.ROOT));
        }
        List<String> tokens = new ArrayList<>(4);
        for (String token : connection.split(",")) {
            tokens.add(token.trim().toLowerCase(Locale.ROOT));
        }
        return tokens;
    }
}
