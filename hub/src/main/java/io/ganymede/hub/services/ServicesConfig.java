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

        /**
         * A managed team app: the hub runs it as a pod on the first visit to {@code /services/<name>/}
         * and stops it when idle. A Ganymede extension; such a service has no {@code url}.
         */
        Optional<App> app();
    }

    /** {@code ganymede.services.<name>.app.*}: what the app's pod runs and who may open it. */
    interface App {

        /** The container image. Required. */
        String image();

        /** The container's command (its entrypoint); unset: the image's. {@code {prefix}} placeholders expand. */
        Optional<List<String>> command();

        /** The command's arguments; {@code {prefix}} placeholders expand. */
        Optional<List<String>> args();

        /** The port the app listens on in its pod. */
        int port();

        /** Whether the proxy strips {@code /services/<name>} before forwarding (apps that serve at "/"). */
        @WithDefault("false")
        boolean stripPrefix();

        /** Path the readiness probe asks; default {@code {prefix}}, or "/" when the prefix is stripped. */
        Optional<String> readyPath();

        /** Environment variables of the container; values may use {@code {prefix}} placeholders. */
        Map<String, String> env();

        /** CPU request (cores, e.g. {@code 0.5} or {@code 500m}). */
        Optional<String> cpuGuarantee();

        /** CPU limit. */
        Optional<String> cpuLimit();

        /** Memory request (e.g. {@code 1G}). */
        Optional<String> memGuarantee();

        /** Memory limit. */
        Optional<String> memLimit();

        /** Storage mounted into the app's container; none unless set. */
        Optional<Storage> storage();

        /** Groups whose members may open the app (access:services on it), beside roles granting it. */
        Optional<List<String>> groups();

        /** How long without requests through the proxy before the app is stopped. */
        @WithDefault("1h")
        java.time.Duration idleTimeout();
    }

    /** An app's storage: the profiles' storage kinds, here usually a team's bucket through GCSFuse. */
    interface Storage {

        /** {@code gcsfuse} (a bucket through GKE's CSI driver) or {@code filestore} (a shared claim). */
        String kind();

        /** gcsfuse: the bucket. */
        Optional<String> bucket();

        /** filestore: the existing claim's name. */
        Optional<String> claimName();

        /** Where it is mounted in the container. */
        @WithDefault("/data")
        String mountPath();

        /** Mounted read-only. */
        @WithDefault("true")
        boolean readOnly();

        /** gcsfuse: the driver's mount options. */
        Optional<String> mountOptions();

        /** gcsfuse: the Kubernetes service account with Workload Identity access to the bucket. */
        Optional<String> serviceAccount();
    }
}
