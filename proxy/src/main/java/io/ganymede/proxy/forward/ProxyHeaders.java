package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Which headers cross the proxy, in each direction, and what it adds or rewrites on the way. */
final class ProxyHeaders {

    private ProxyHeaders() {
    }

    static void toTarget(HttpServerRequest request, MultiMap out, Route route, boolean upgrade, boolean xForward) {
        MultiMap in = request.headers();
        List<String> connection = connectionTokens(in.get("connection"));
        if (in instanceof HttpHeaders entries) {
            // Vert.x's own request headers: walk its entries as they are, no String made per name.
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = entries.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> header = it.next();
                if (!hopByHop(header.getKey(), connection)) {
                    out.add(header.getKey(), header.getValue());
                }
            }
        } else {
            for (Map.Entry<String, String> header : in) {
                if (!hopByHop(header.getKey(), connection)) {
                    out.add(header.getKey(), header.getValue());
                }
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
            String name = header.getKey();
            if (!hopByHop(name, connection)
                    || (upgrade && (name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("upgrade")))) {
                out.add(name, header.getValue());
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

    /**
     * Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection and are not forwarded, nor are
     * the headers the Connection header names; host is sent as the request's authority instead,
     * expect is answered by the proxy itself. Compared in place, case-insensitively, as this runs
     * for every header of every request.
     */
    static boolean hopByHop(CharSequence name, List<String> connectionTokens) {
        boolean fixed = switch (name.length()) {
            case 2 -> AsciiString.contentEqualsIgnoreCase(name, "te");
            case 4 -> AsciiString.contentEqualsIgnoreCase(name, "host");
            case 6 -> AsciiString.contentEqualsIgnoreCase(name, "expect");
            case 7 -> AsciiString.contentEqualsIgnoreCase(name, "upgrade")
                    || AsciiString.contentEqualsIgnoreCase(name, "trailer");
            case 10 -> AsciiString.contentEqualsIgnoreCase(name, "connection")
                    || AsciiString.contentEqualsIgnoreCase(name, "keep-alive");
            case 16 -> AsciiString.contentEqualsIgnoreCase(name, "proxy-connection");
            case 17 -> AsciiString.contentEqualsIgnoreCase(name, "transfer-encoding");
            default -> false;
        };
        if (fixed) {
            return true;
        }
        for (int i = 0; i < connectionTokens.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(name, connectionTokens.get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The header names listed in Connection; the usual "keep-alive", "close" or "Upgrade" name
     * nothing beyond the fixed hop-by-hop set, so they cost no list.
     */
    private static List<String> connectionTokens(String connection) {
        if (connection == null || connection.isEmpty()) {
            return List.of();
        }
        if (connection.indexOf(',') < 0) {
            String token = connection.trim();
            return token.equalsIgnoreCase("close") || hopByHop(token, List.of()) ? List.of() : List.of(token);
        }
        List<String> tokens = new ArrayList<>(4);
        for (String token : connection.split(",")) {
            tokens.add(token.trim());
        }
        return tokens;
    }
}
