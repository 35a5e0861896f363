package io.ganymede.hub.spawn;

import java.nio.charset.StandardCharsets;

/**
 * How user and server names appear in URLs, client ids and proxy routes, escaped exactly as
 * JupyterHub escapes them, so single-user servers, the proxy and JupyterHub's clients agree with
 * the hub on every name, including e-mail addresses such as {@code o'brien+test@example.com}.
 */
public final class Urls {

    /** Characters Python's {@code urllib.parse.quote} never escapes. */
    private static final String ALWAYS_SAFE = "_.-~";

    private Urls() {}

    /** {@code /user/alice@example.com/} or {@code /user/alice@example.com/gpu/}. */
    public static String serverPrefix(String user, String serverName) {
        String prefix = "/user/" + escape(user) + "/";
        return serverName.isEmpty() ? prefix : prefix + escape(serverName) + "/";
    }

    /**
     * The OAuth client id of a server, as JupyterHub names it: {@code quote(name)} with Python's
     * default {@code safe="/"}, so {@code @} becomes {@code %40}. Single-user servers derive cookie
     * names from it, and {@code @} (or {@code '}, {@code +}) in a cookie name is refused by
     * Python's {@code http.cookies}.
     */
    public static String clientId(String user, String serverName) {
        String id = "jupyterhub-user-" + quote(user, "/");
        return serverName.isEmpty() ? id : id + "-" + quote(serverName, "/");
    }

    /** A name as a URL path segment: JupyterHub's {@code url_escape_path}, {@code quote(value, safe="@~")}. */
    public static String escape(String segment) {
        return quote(segment, "@");
    }

    /**
     * A route as JupyterHub spells it from configurable-http-proxy's table, whose keys are stored
     * unescaped: {@code quote(path, safe="@/~")}, so it compares equal to {@link #serverPrefix}'s form.
     */
    public static String escapeRoute(String unescapedPath) {
        return quote(unescapedPath, "@/");
    }

    /** Python's {@code urllib.parse.quote(value, safe)}: UTF-8, and only the safe characters kept. */
    static String quote(String value, String safe) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ALWAYS_SAFE.indexOf(c) >= 0 || safe.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
