package io.ganymede.e2e;

import java.nio.charset.StandardCharsets;

/**
 * The user and server names every end-to-end flow uses: e-mail addresses as IAP and OIDC name
 * users, one that needs escaping in a URL, and a named server whose name needs escaping too.
 */
final class Names {

    /** The common case: the name IAP or OIDC gives alice. */
    static final String ALICE = "alice@example.com";
    /** {@code '} and {@code +} are escaped in URLs and client ids, {@code @} only in client ids. */
    static final String OBRIEN = "o'brien+test@example.com";
    /** A named server (JupyterHub 5 admits any name without '/'). */
    static final String SERVER = "exp #1";

    private Names() {}

    /** A name as a URL path segment, as JupyterHub's {@code url_escape_path} writes it ({@code quote(name, safe="@~")}). */
    static String path(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.-~@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append(String.format("%%%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** {@code /user/<name>/} or {@code /user/<name>/<server>/}, escaped. */
    static String prefix(String user, String server) {
        return "/user/" + path(user) + "/" + (server.isEmpty() ? "" : path(server) + "/");
    }
}
