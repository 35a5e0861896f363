package io.ganymede.hub.auth.oidc;

import io.vertx.core.json.JsonObject;

/**
 * The parts of an OpenID provider's discovery document the code flow uses.
 *
 * @param endSessionEndpoint RP-initiated logout endpoint, or {@code null} (Google has none)
 */
public record ProviderMetadata(
        String issuer, String authorizationEndpoint, String tokenEndpoint, String jwksUri, String endSessionEndpoint) {

    /**
     * Reads a discovery document.
     *
     * @throws IllegalArgumentException when a required endpoint is missing
     */
    static ProviderMetadata parse(JsonObject document) {
        ProviderMetadata metadata = new ProviderMetadata(
                document.getString("issuer"),
                document.getString("authorization_endpoint"),
                document.getString("token_endpoint"),
                document.getString("jwks_uri"),
                document.getString("end_session_endpoint"));
        if (metadata.issuer() == null || metadata.authorizationEndpoint() == null
                || metadata.tokenEndpoint() == null || metadata.jwksUri() == null) {
            throw new IllegalArgumentException(
                    "discovery document lacks issuer, authorization_endpoint, token_endpoint or jwks_uri");
        }
        return metadata;
    }
}
