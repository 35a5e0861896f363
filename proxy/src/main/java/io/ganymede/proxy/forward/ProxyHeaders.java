package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which headers cross the proxy, in each direction, and what it adds or rewrites on the way. The
 * headers are edited in place on the message that is forwarded, never copied.
 */
final class ProxyHeaders {

    private ProxyHeaders() {
    }

    /**
     * Readies a client's request for the target; call before its URI is rewritten. Returns the
     * request's framing bits as {@link #dropHopByHop} does.
     */
    static int toTarget(HttpRequest request, Route route, boolean upgrade, String remoteAddress, boolean xForward) {
        HttpHeaders h = request.headers();
        String host = h.get(HttpHeaderNames.HOST);
        String externalUrl = route.rstudio() ? externalUrl(h, request.uri()) : null;
        String upgradeTo = upgrade ? h.get(HttpHeaderNames.UPGRADE) : null;
        int framing = dropHopByHop(request, false);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(HttpHeaderNames.UPGRADE, upgradeTo);
        }
        if (host == null) {
            h.set(HttpHeaderNames.HOST, route.target().host() + ":" + route.target().port());
        }
        if (xForward) {
            addForwarded(h, host, remoteAddress);
        }
        for (Map.Entry<String, String> header : route.headers()) {
            h.set(header.getKey(), header.getValue());
        }
        if (route.rstudio()) {
            h.set("X-RStudio-Root-Path", route.path());
            h.set("X-RStudio-Request", externalUrl);
        }
        return framing;
    }

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString PORT_80 = AsciiString.cached("80");

    /** As CHP (http-proxy's xfwd): append to For/Port/Proto chains, keep the first Host. */
    private static void addForwarded(HttpHeaders h, String host, String remoteAddress) {
        append(h, X_FORWARDED_FOR, remoteAddress);
        append(h, X_FORWARDED_PORT, port(host));
        append(h, X_FORWARDED_PROTO, HTTP);
        if (host != null && !h.contains(X_FORWARDED_HOST)) {
            h.add(X_FORWARDED_HOST, host);
        }
    }

    /** The port of a Host header value as written there, 80 when it names none. */
    private static CharSequence port(String host) {
        if (host == null) {
            return PORT_80;
        }
        int colon = host.lastIndexOf(':');
        if (colon < 0 || colon == host.length() - 1 || host.indexOf(']', colon) >= 0) {
            return PORT_80;
        }
        for (int i = colon + 1; i < host.length(); i++) {
            if (host.charAt(i) < '0' || host.charAt(i) > '9') {
                return PORT_80;
            }
        }
        return host.substring(colon + 1);
    }

    /** Appends to a comma-separated chain; the usual case, no chain yet, is a plain add. */
    private static void append(HttpHeaders headers, AsciiString name, CharSequence value) {
        String existing = headers.get(name);
        if (existing == null) {
            headers.add(name, value);
        } else {
            headers.set(name, existing.isEmpty() ? value : existing + "," + value);
        }
    }

    /** The URL the browser asked for, as seen in front of any load balancer that set X-Forwarded-*. */
    static String externalUrl(HttpHeaders h, String uri) {
        String proto = first(h.get(X_FORWARDED_PROTO));
        if (proto == null) {
            proto = "http";
        }
        String host = first(h.get(X_FORWARDED_HOST));
        if (host == null) {
            host = h.get(HttpHeaderNames.HOST);
        }
        return proto + "://" + (host == null ? "localhost" : host) + uri;
    }

    private static String first(String commaList) {
        if (commaList == null || commaList.isBlank()) {
            return null;
        }
        int comma = commaList.indexOf(',');
        return (comma < 0 ? commaList : commaList.substring(0, comma)).trim();
    }

    /**
     * Readies a target's answer for the client of {@code request}; returns the answer's framing
     * bits as {@link #dropHopByHop} does.
     */
    static int toClient(HttpResponse response, Route route, HttpRequest request, boolean upgrade) {
        HttpHeaders h = response.headers();
        String upgradeTo = upgrade ? h.get(HttpHeaderNames.UPGRADE) : null;
        int framing = dropHopByHop(response, true);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            if (upgradeTo != null) {
                h.set(HttpHeaderNames.UPGRADE, upgradeTo);
            }
        }
        if (route.stripPrefix()) {
            String location = h.get(HttpHeaderNames.LOCATION);
            if (location != null) {
                h.set(HttpHeaderNames.LOCATION, LocationRewrite.underPrefix(location, route,
                        request.headers().get(HttpHeaderNames.HOST)));
            }
        }
        return framing;
    }

    /**
     * Whether the end of a request's body can be known: with a Transfer-Encoding, only if chunked
     * is its last coding (RFC 9112 6.3; "chunked, gzip" or "gzip" alone leave it unknown).
     */
    static boolean bodyEndKnown(HttpHeaders h) {
        List<String> codings = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (codings.isEmpty()) {
            return true;
        }
        String last = codings.get(codings.size() - 1);
        return last.substring(last.lastIndexOf(',') + 1).trim().equalsIgnoreCase("chunked");
    }

    /** What {@link #dropHopByHop} saw of the message's framing. */
    static final int CHUNKED = 1;
    static final int LENGTH = 2;

    /**
     * Removes the hop-by-hop headers (RFC 9110 7.6.1), which belong to one connection, and those
     * the Connection header names; Expect is answered by the proxy itself (from the client only).
     * Chunked framing stays declared, as Netty's codec frames the body again on the other side.
     * Compared in place, case-insensitively, and no list is made unless something is removed, as
     * this runs for every header of every message. Returns {@link #CHUNKED} and {@link #LENGTH}
     * bits for how the body is framed, so that nobody looks those headers up again.
     */
    static int dropHopByHop(HttpMessage message, boolean fromTarget) {
        HttpHeaders h = message.headers();
        List<String> connection = connectionTokens(h.get(HttpHeaderNames.CONNECTION));
        CharSequence dropFirst = null;
        List<CharSequence> drop = null;
        int framing = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            int length = name.length();
            if (length == 14 && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH)) {
                framing |= LENGTH;
                continue;
            }
            if (length == 17 && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING)) {
                CharSequence value = header.getValue();
                if (AsciiString.contentEqualsIgnoreCase(value, HttpHeaderValues.CHUNKED)) {
                    framing |= CHUNKED;
                    continue; // kept as it is
                }
                if (AsciiString.containsIgnoreCase(value, HttpHeaderValues.CHUNKED)) {
                    framing |= CHUNKED;
                }
            } else if (!hopByHop(name, connection)
                    && (fromTarget || length != 6 || !AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.EXPECT))) {
                continue;
            }
            if (dropFirst == null) {
                dropFirst = name; // usually the only one: Connection
            } else {
                if (drop == null) {
                    drop = new ArrayList<>(4);
                }
                drop.add(name);
            }
        }
        if (dropFirst != null) {
            h.remove(dropFirst);
            for (int i = 0; drop != null && i < drop.size(); i++) {
                h.remove(drop.get(i));
            }
            if ((framing & CHUNKED) != 0) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        return framing;
    }

    static boolean hopByHop(CharSequence name, List<String> connectionTokens) {
        boolean fixed = switch (name.length()) {
            case 2 -> AsciiString.contentEqualsIgnoreCase(name, "te");
            case 7 -> AsciiString.contentEqualsIgnoreCase(name, "upgrade")
                    || AsciiString.contentEqualsIgnoreCase(name, "trailer");
            case 10 -> AsciiString.contentEqualsIgnoreCase(name, "connection")
                    || AsciiString.contentEqualsIgnoreCase(name, "keep-alive");
            case 16 -> AsciiString.contentEqualsIgnoreCase(name, "proxy-connection");
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
