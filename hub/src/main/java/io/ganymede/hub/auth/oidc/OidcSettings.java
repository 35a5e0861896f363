package io.ganymede.hub.auth.oidc;

import io.ganymede.hub.auth.AccessPolicy;
import io.ganymede.hub.auth.AuthConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link OidcCodeFlow} needs, separate from the configuration source so tests can build it.
 *
 * @param issuer the provider's issuer URL, e.g. {@code https://accounts.google.com}
 * @param clientId the OAuth client id
 * @param clientSecret the client secret, or {@code null} for a public client
 * @param callbackUrl the absolute redirect URI registered at the provider
 * @param scopes scopes to request; {@code openid} is added when missing
 * @param usernameClaim the ID-token claim naming the user
 * @param groupsClaim the ID-token claim listing groups
 * @param clockSkew tolerance when checking the ID token's times
 * @param loginTimeout how long a started login stays valid
 * @param accessPolicy allow-lists applied after verification
 */
public record OidcSettings(
        String issuer,
        String clientId,
        String clientSecret,
        String callbackUrl,
        List<String> scopes,
        String usernameClaim,
        String groupsClaim,
        Duration clockSkew,
        Duration loginTimeout,
        AccessPolicy accessPolicy) {

    public OidcSettings {
        List<String> withOpenid = new ArrayList<>(scopes == null ? List.of() : scopes);
        withOpenid.removeIf(String::isBlank);
        if (!withOpenid.contains("openid")) {
            withOpenid.add(0, "openid");
        }
        scopes = List.copyOf(withOpenid);
        clientSecret = clientSecret == null || clientSecret.isEmpty() ? null : clientSecret;
    }

    public static OidcSettings from(AuthConfig config) {
        AuthConfig.Oidc oidc = config.oidc();
        return new OidcSettings(
                oidc.issuer().orElse(null),
                oidc.clientId().orElse(null),
                oidc.clientSecret().orElse(null),
                oidc.callbackUrl(),
                oidc.scopes(),
                oidc.usernameClaim(),
                oidc.groupsClaim(),
                oidc.clockSkew(),
                oidc.loginTimeout(),
                config.accessPolicy());
    }
}
