package io.ganymede.hub.auth;

import io.ganymede.hub.scopes.RoleCatalog;
import io.ganymede.hub.scopes.Roles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start the hub with a sign-in configuration that would be unsafe or cannot work.
 *
 * <p>Dev mode lets anyone sign in as anyone, so it may only listen on loopback, both on the hub's
 * own port and on the embedded proxy's public port, unless {@code ganymede.auth.dev.allow-non-loopback}
 * says otherwise. IAP and OIDC modes need the settings that identify this deployment. Custom roles
 * must name known scopes.
 */
public class AuthStartupCheck {

    void onStart(
            @Observes StartupEvent event,
            AuthConfig auth,
            @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String httpHost,
            @ConfigProperty(name = "ganymede.proxy.embedded", defaultValue = "true") boolean proxyEmbedded,
            @ConfigProperty(name = "ganymede.proxy.public-ip", defaultValue = "127.0.0.1") String proxyPublicIp,
            Instance<RoleCatalog> roles) {
        List<String> problems = new ArrayList<>();
        try {
            roles.get().exists(Roles.USER); // builds the catalog, which checks every custom role
        } catch (IllegalArgumentException e) {
            problems.add("ganymede.auth.roles: " + e.getMessage());
        }
        bindingProblem(auth.mode(), auth.dev().allowNonLoopback(), httpHost, proxyEmbedded, proxyPublicIp)
                .ifPresent(problems::add);
        problems.addAll(missingSettings(auth.mode(), auth.iap().audiences().orElse(Set.of()),
                auth.oidc().issuer(), auth.oidc().clientId()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
    }

    /** Why dev mode may not listen where it is configured to, or empty when it may. */
    static Optional<String> bindingProblem(
            AuthConfig.Mode mode, boolean allowNonLoopback, String httpHost, boolean proxyEmbedded, String proxyPublicIp) {
        if (mode != AuthConfig.Mode.DEV || allowNonLoopback) {
            return Optional.empty();
        }
        List<String> exposed = new ArrayList<>();
        if (!LoopbackAddresses.isLoopback(httpHost)) {
            exposed.add("quarkus.http.host=" + httpHost);
        }
        if (proxyEmbedded && !LoopbackAddresses.isLoopback(proxyPublicIp)) {
            exposed.add("ganymede.proxy.public-ip=" + proxyPublicIp);
        }
        if (exposed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("ganymede.auth.mode=dev lets anyone sign in as anyone, but "
                + String.join(" and ", exposed) + " is not a loopback address; use iap or oidc, listen on"
                + " 127.0.0.1, or set ganymede.auth.dev.allow-non-loopback=true");
    }

    /** The settings the chosen mode needs but lacks. */
    static List<String> missingSettings(
            AuthConfig.Mode mode, Set<String> iapAudiences, Optional<String> oidcIssuer, Optional<String> oidcClientId) {
        List<String> missing = new ArrayList<>();
        if (mode == AuthConfig.Mode.IAP && iapAudiences.isEmpty()) {
            missing.add("ganymede.auth.mode=iap needs ganymede.auth.iap.audiences");
        }
        if (mode == AuthConfig.Mode.OIDC && oidcIssuer.filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("ganymede.auth.mode=oidc needs ganymede.auth.oidc.issuer");
        }
        if (mode == AuthConfig.Mode.OIDC && oidcClientId.filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("ganymede.auth.mode=oidc needs ganymede.auth.oidc.client-id");
        }
        return missing;
    }
}
