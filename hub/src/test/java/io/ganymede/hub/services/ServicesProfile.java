package io.ganymede.hub.services;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Three configured services, as a z2jh deployment declares them: a web service people log in to
 * (whoami), an API client with a custom role (culler, as jupyterhub-idle-culler is set up) and an
 * admin service; and roles that grant access to and reading of them.
 */
public class ServicesProfile implements QuarkusTestProfile {

    static final String WHOAMI_TOKEN = "whoami-service-token-0123456789";
    static final String CULLER_TOKEN = "culler-service-token-0123456789";
    static final String ADMIN_SERVICE_TOKEN = "admin-service-token-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("ganymede.services.whoami.url", "http://127.0.0.1:10102");
        config.put("ganymede.services.whoami.api-token", WHOAMI_TOKEN);
        config.put("ganymede.services.whoami.info.description", "Who am I, as the hub sees it");
        config.put("ganymede.services.whoami.oauth-client-allowed-scopes", "read:users:groups!user");
        config.put("ganymede.services.culler.api-token", CULLER_TOKEN);
        config.put("ganymede.services.culler.display", "false");
        config.put("ganymede.services.admin-svc.api-token", ADMIN_SERVICE_TOKEN);
        config.put("ganymede.services.admin-svc.admin", "true");
        // An app without a login of its own (a TensorBoard): the proxy checks the hub's access cookie.
        config.put("ganymede.services.board.url", "http://127.0.0.1:10103");
        config.put("ganymede.services.board.login-at-proxy", "true");
        // The first role is application.yaml's test role (sharer); these follow it.
        role(config, 1, "whoami-users", "access:services!service=whoami", "groups", "svc-team");
        role(config, 2, "idle-culler", "list:users,read:users:activity,read:servers,delete:servers", "services", "culler");
        role(config, 3, "service-reader", "read:services!service=whoami", "users", "svc-reader@example.com");
        role(config, 4, "service-lister", "list:services", "users", "svc-lister@example.com");
        role(config, 5, "service-admin", "admin:services", "users", "svc-admin@example.com");
        role(config, 6, "board-users", "access:services!service=board", "groups", "board-team");
        return config;
    }

    /** Custom role number {@code index} of {@code ganymede.auth.roles}, held by one user, group or service. */
    public static void role(Map<String, String> config, int index, String name, String scopes, String holders, String holder) {
        String prefix = "ganymede.auth.roles[" + index + "].";
        config.put(prefix + "name", name);
        config.put(prefix + "scopes", scopes);
        config.put(prefix + holders, holder);
    }
}
