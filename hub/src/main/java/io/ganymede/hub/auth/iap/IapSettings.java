package io.ganymede.hub.auth.iap;

import io.ganymede.hub.auth.AccessPolicy;
import io.ganymede.hub.auth.AuthConfig;
import java.time.Duration;
import java.util.Set;

/**
 * What {@link IapVerifier} checks, separate from the configuration source so tests can build it.
 *
 * @param jwksUrl where IAP's public keys are published
 * @param audiences accepted {@code aud} values; empty refuses every assertion
 * @param issuer the required {@code iss}
 * @param clockSkew tolerance on {@code exp}, {@code iat}, {@code nbf}
 * @param jwksMinRefreshInterval least time between key fetches for unknown key ids
 * @param jwksMaxAge age at which cached keys are fetched again
 * @param accessPolicy allow-lists applied after verification
 */
public record IapSettings(
        String jwksUrl,
        Set<String> audiences,
        String issuer,
        Duration clockSkew,
        Duration jwksMinRefreshInterval,
        Duration jwksMaxAge,
        AccessPolicy accessPolicy) {

    public IapSettings {
        audiences = Set.copyOf(audiences);
    }

    public static IapSettings from(AuthConfig config) {
        AuthConfig.Iap iap = config.iap();
        return new IapSettings(
                iap.jwksUrl(),
                iap.audiences().orElse(Set.of()),
                iap.issuer(),
                iap.clockSkew(),
                iap.jwksMinRefreshInterval(),
                iap.jwksMaxAge(),
                config.accessPolicy());
    }
}
