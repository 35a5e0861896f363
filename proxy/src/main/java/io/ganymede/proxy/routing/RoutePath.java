package io.ganymede.proxy.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Route paths in configurable-http-proxy's form: one leading slash, no trailing slash (except the
 * root "/"), compared segment by segment, so "/user/a" matches "/user/a/x" but not "/user/ab".
 */
public final class RoutePath {

    private RoutePath() {
    }

    /** "user/a/" and "/user/a" both become "/user/a"; "" becomes "/". */
    public static String clean(String path) {
        String p = path == null ? "" : path;
        int start = 0;
        int end = p.length();
        while (start < end && p.charAt(start) == '/') {
            start++;
        }
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        return "/" + p.substring(start, end);
    }

    /** The segments between the outer slashes; inner empty segments ("a//b") are kept, as CHP does. */
    public static List<String> segments(String path) {
        String cleaned = clean(path);
        List<String> parts = new ArrayList<>();
        if (cleaned.length() == 1) {
            return parts;
        }
        int from = 1;
        while (true) {
            int slash = cleaned.indexOf('/', from);
            if (slash < 0) {
                parts.add(cleaned.substring(from));
                return parts;
            }
            parts.add(cleaned.substring(from, slash));
            from = slash + 1;
        }
    }

    /** A route path must not climb out of itself: "." and ".." segments are refused. */
    public static boolean isAbsolute(String path) {
        for (String segment : segments(path)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Percent-decodes a URL path as UTF-8 (routes are stored decoded, like CHP's); '+' stays '+'
     * because it only means space in query strings. Malformed escapes are kept literally.
     */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            int percent = raw.indexOf('%', i);
            int plainEnd = percent < 0 ? raw.length() : percent;
            byte[] plain = raw.substring(i, plainEnd).getBytes(StandardCharsets.UTF_8);
            out.write(plain, 0, plain.length);
            i = plainEnd;
            if (percent < 0) {
                break;
            }
            if (i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                out.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 3;
            } else {
                out.write('%');
                i++;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The part of a raw request path after the first {@code count} segments, always starting with
     * "/"; used to strip a route's prefix without decoding the rest of the path.
     */
    public static String afterSegments(String rawPath, int count) {
        int i = 0;
        int n = rawPath.length();
        while (i < n && rawPath.charAt(i) == '/') {
            i++;
        }
        for (int skipped = 0; skipped < count && i <= n; skipped++) {
            int slash = rawPath.indexOf('/', i);
            i = slash < 0 ? n + 1 : slash + 1;
        }
        return i > n ? "/" : "/" + rawPath.substring(i);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
