package io.ganymede.hub.spawn;

import java.nio.charset.StandardCharsets;

/** The URL prefixes under which users' servers are reached, escaped as JupyterHub does. */
public final class Urls {

    private Urls() {}

    /** {@code /user/alice/} or {@code /user/alice/gpu/}. */
    public static String serverPrefix(String user, String serverName) {
        String prefix = "/user/" + escape(user) + "/";
        return serverName.isEmpty() ? prefix : prefix + escape(serverName) + "/";
    }

    /** The OAuth client id of a server, as JupyterHub names it. */
    public static String clientId(String user, String serverName) {
        String id = "jupyterhub-user-" + escape(user);
        return serverName.isEmpty() ? id : id + "-" + escape(serverName);
    }

    /** Percent-escapes a path segment, keeping what URL paths allow unescaped (such as {@code @}). */
    public static String escape(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~@!$&'()*+,;=:".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
