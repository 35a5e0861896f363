package io.ganymede.hub.services;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Services of the hub's configuration, by name: {@code ganymede.services.<name>.*}, the keys of
 * JupyterHub's {@code c.JupyterHub.services} entries. Defaults and comments live in application.yaml.
 */
@ConfigMapping(prefix = "ganymede.services")
public interface ServicesConfig {

    @WithParentName
    Map<String, Spec> all();

    /** One service, as JupyterHub's {@code Service} traits. */
    interface Spec {

        /** Where the service listens; the proxy sends {@code /services/<name>/} there. Unset: no web endpoint. */
        Optional<String> url();

        /** The service's API token (at least 8 characters); also its OAuth client's secret. */
        Optional<String> apiToken();

        /** Gives the service the admin role (deprecated in JupyterHub 2.0 in favour of roles). */
        @WithDefault("false")
        boolean admin();

        /** Roles its API token holds, beside custom roles that list it under {@code services}. */
        Optional<List<String>> roles();

        /** OAuth client id; default {@code service-<name>}; must start with {@code service-}. */
        Optional<String> oauthClientId();

        /** Where the hub sends people back after login; default {@code /services/<name>/oauth_callback} when a URL is set. */
        Optional<String> oauthRedirectUri();

        /** Scopes the tokens of people logging in may carry, beside access to the service. */
        Optional<List<String>> oauthClientAllowedScopes();

        /** Older name (JupyterHub before 3.0): roles whose scopes the login tokens may carry. */
        Optional<List<String>> oauthRoles();

        /** Skip the confirmation page at login; accepted, Ganymede never asks. */
        @WithDefault("false")
        boolean oauthNoConfirm();

        /**
         * For an app without a login of its own (TensorBoard, an MLflow server): the proxy lets
         * through only browsers with an access cookie, which the hub gives people holding
         * {@code access:services} on the service. A Ganymede extension; needs a url.
         */
        @WithDefault("false")
        boolean loginAtProxy();

        /** Whether the hub's pages list the service. */
        @WithDefault("true")
        boolean display();

        /** Free-form information shown in the model (e.g. a description or a link). */
        Map<String, String> info();
    }
}
