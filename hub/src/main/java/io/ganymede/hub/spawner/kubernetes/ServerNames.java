package io.ganymede.hub.spawner.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * The Kubernetes names of one user server, computed as KubeSpawner 7 does with its default "safe"
 * scheme: {@code {username}} and {@code {servername}} are safe slugs of at most 48 characters and
 * {@code {user_server}} joins them with {@code --}, or is one {@code multi_slug} when the join
 * would be longer than 48 (KubeSpawner counts the {@code --} even for the default server).
 *
 * @param user the raw JupyterHub user name (goes into annotations)
 * @param server the raw server name, {@code ""} for the default server
 */
public record ServerNames(
        String user,
        String server,
        String safeUsername,
        String safeServername,
        String userServer,
        String namespace,
        String podName,
        String pvcName) {

    static final int SLUG_MAX_LENGTH = 48;

    /** The names under the spawner's configured templates and namespace. */
    public static ServerNames of(KubernetesConfig config, String user, String server) {
        return of(user, server, config.podNameTemplate(), config.pvcNameTemplate(), config.namespace(),
                config.userNamespaces());
    }

    public static ServerNames of(String user, String server, String podTemplate, String pvcTemplate,
            String namespace, boolean userNamespaces) {
        String safeUser = Slugs.safeSlug(user, Slugs::isValidObjectName, SLUG_MAX_LENGTH);
        String safeServer = server.isEmpty() ? "" : Slugs.safeSlug(server, Slugs::isValidObjectName, SLUG_MAX_LENGTH);
        String userServer;
        if (safeUser.length() + safeServer.length() + 2 > SLUG_MAX_LENGTH) {
            userServer = Slugs.multiSlug(List.of(user, server), SLUG_MAX_LENGTH);
        } else {
            userServer = server.isEmpty() ? safeUser : safeUser + "--" + safeServer;
        }
        String ns = userNamespaces ? namespace + "-" + safeUser : namespace;
        Map<String, String> vars = Map.of("username", safeUser, "servername", safeServer, "user_server", userServer,
                "unescaped_username", user, "unescaped_servername", server);
        return new ServerNames(user, server, safeUser, safeServer, userServer, ns,
                expand(podTemplate, vars), expand(pvcTemplate, vars));
    }

    /**
     * The same names with the claim a previous start used ({@code null}: the template's), as
     * KubeSpawner's {@code remember_pvc_name}: a renamed server, or a changed template, keeps its disk.
     */
    public ServerNames withRememberedClaim(String claim) {
        return claim == null || claim.isEmpty() ? this
                : new ServerNames(user, server, safeUsername, safeServername, userServer, namespace, podName, claim);
    }

    /**
     * The claim KubeSpawner before 7 named from the same template with the legacy {@code escape}
     * slugs ({@code claim-alice-40example-2ecom}), for KubeSpawner 7's {@code handle_legacy_names}.
     */
    public String legacyPvcName(String pvcTemplate) {
        String user = Slugs.escapeSlug(this.user);
        String server = Slugs.escapeSlug(this.server);
        return expand(pvcTemplate, Map.of("username", user, "servername", server,
                "user_server", this.server.isEmpty() ? user : user + "--" + server,
                "unescaped_username", this.user, "unescaped_servername", this.server));
    }

    /** Value of the {@code hub.jupyter.org/username} label (label rules, so case is kept). */
    public String userLabel() {
        return Slugs.safeSlug(user, Slugs::isValidLabel, null);
    }

    /** Value of the {@code hub.jupyter.org/servername} label. */
    public String serverLabel() {
        return Slugs.safeSlug(server, Slugs::isValidLabel, null);
    }

    /** Replaces {@code {username}}, {@code {servername}}, {@code {user_server}} and the raw names. */
    public String expand(String template) {
        return expand(template, Map.of("username", safeUsername, "servername", safeServername,
                "user_server", userServer, "unescaped_username", user, "unescaped_servername", server));
    }

    private static String expand(String template, Map<String, String> vars) {
        String out = template;
        for (var e : vars.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        // KubeSpawner strips a trailing '-' left by an empty {servername} in older templates.
        if (!template.endsWith("-")) {
            while (out.endsWith("-")) {
                out = out.substring(0, out.length() - 1);
            }
        }
        return out;
    }
}
