package io.ganymede.hub.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a browser goes next ({@code ?next=} on the login page, the OIDC callback, the proxy's
 * access step), as JupyterHub's {@code get_next_url} decides it: only a path on this site (an
 * absolute URL of this very host counts as its path), never another host, a scheme or a
 * protocol-relative {@code //}, else the hub's home page. An accepted target is escaped into a
 * valid URL ({@code /a b} becomes {@code /a%20b}, a stray {@code %} becomes {@code %25}), so no
 * input makes the redirect itself fail. Every {@code next} the hub follows goes through here.
 */
public final class NextUrl {

    /** Where a missing or refused target sends the browser. */
    public static final String HOME = "/hub/home";

    /** Characters a path keeps as they are (RFC 3986 pchar and "/"), besides valid %XX escapes. */
    private static final String PATH_SAFE = "-._~!$&'()*+,;=:@/";
    /** In a query or fragment "?" stays too. */
    private static final String QUERY_SAFE = PATH_SAFE + "?";

    private NextUrl() {}

    /**
     * The target for {@code next}, escaped, or null when it may not be followed.
     *
     * @param host the request's Host header, so that an absolute URL of this host is accepted as
     *     its path; null accepts paths only
     */
    public static String validated(String next, String host) {
        if (next == null || next.isEmpty() || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // Browsers drop tabs and newlines from URLs: "/\t/evil.example" would become "//evil.example".
            return null;
        }
        String path = next;
        if (host != null && !host.isEmpty()) {
            String lower = next.toLowerCase(Locale.ROOT);
            String hostLower = host.toLowerCase(Locale.ROOT);
            for (String origin : new String[] {"http://" + hostLower, "https://" + hostLower, "//" + hostLower}) {
                if (lower.startsWith(origin + "/")) {
                    path = next.substring(origin.length());
                    break;
                }
            }
        }
        // JupyterHub reads a backslash as %5C, since some browsers take it for a slash.
        if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) {
            return null;
        }
        return escape(path);
    }

    /** {@link #validated}, or {@link #HOME} when {@code next} may not be followed. */
    public static String orHome(String next, String host) {
        String target = validated(next, host);
        return target == null ? HOME : target;
    }

    /** {@link #orHome} as a Location. */
    public static URI location(String next, String host) {
        return URI.create(orHome(next, host));
    }

    /** The login page, coming back to the request's own address afterwards. */
    public static URI toLogin(URI request) {
        return toLogin(request.getRawPath(), request.getRawQuery());
    }

    /** The login page, coming back to {@code rawPath} and {@code rawQuery} (as the request had them) afterwards. */
    public static URI toLogin(String rawPath, String rawQuery) {
        String here = rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        return URI.create("/hub/login?next=" + URLEncoder.encode(here, StandardCharsets.UTF_8));
    }

    /** Escapes what a URL cannot hold as it is, keeping the escapes already there. */
    static String escape(String target) {
        int hash = target.indexOf('#');
        String beforeHash = hash < 0 ? target : target.substring(0, hash);
        int question = beforeHash.indexOf('?');
        StringBuilder out = new StringBuilder(target.length() + 16);
        append(out, question < 0 ? beforeHash : beforeHash.substring(0, question), PATH_SAFE);
        if (question >= 0) {
            out.append('?');
            append(out, beforeHash.substring(question + 1), QUERY_SAFE);
        }
        if (hash >= 0) {
            out.append('#');
            append(out, target.substring(hash + 1), QUERY_SAFE);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String part, String safe) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%' && i + 2 < part.length() && hex(part.charAt(i + 1)) && hex(part.charAt(i + 2))) {
                out.append(c);
            } else if (c < 0x80 && (Character.isLetterOrDigit(c) || safe.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < part.length() ? i + 2 : i + 1;
                for (byte b : part.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
                i = end - 1;
            }
        }
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
