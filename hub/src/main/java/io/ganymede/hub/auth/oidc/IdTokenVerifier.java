package io.ganymede.hub.auth.oidc;

import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.jwks.JwksKeyCache;
import io.ganymede.hub.auth.jwks.JwtRejection;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Verifies an OpenID Connect ID token as OIDC Core 3.1.3.7 asks: signature by a key in the
 * provider's JWKS with an asymmetric algorithm (never {@code none} or an HMAC keyed with something
 * public), {@code iss}, {@code aud} containing our client id, {@code azp} when present or when there
 * are several audiences, {@code exp}/{@code iat}, and the {@code nonce} of this login.
 */
final class IdTokenVerifier {

    private static final Set<String> ALGORITHMS = Set.of(
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512);
    // Google documents that its ID tokens may carry the issuer without the scheme.
    private static final String GOOGLE_ISSUER = "https://accounts.google.com";
    private static final int MAX_ISSUED_AGE_SECONDS = 24 * 3600;

    private final JwksKeyCache keys;
    private final String[] issuers;
    private final String clientId;
    private final int skewSeconds;
    private final Clock clock;

    IdTokenVerifier(JwksKeyCache keys, String issuer, String clientId, Duration skew, Clock clock) {
        this.keys = keys;
        this.issuers = GOOGLE_ISSUER.equals(issuer) ? new String[] {issuer, "accounts.google.com"} : new String[] {issuer};
        this.clientId = clientId;
        this.skewSeconds = (int) skew.toSeconds();
        this.clock = clock;
    }

    /** The verified claims, or a failure with {@link AuthenticationFailedException}. */
    Uni<JwtClaims> verify(String idToken, String expectedNonce) {
        String kid;
        try {
            kid = signingKeyId(idToken);
        } catch (AuthenticationFailedException e) {
            return Uni.createFrom().failure(e);
        }
        return keys.keysFor(kid).map(current -> checked(idToken, current, expectedNonce));
    }

    private static String signingKeyId(String idToken) {
        if (idToken == null || idToken.isBlank()) {
            throw new AuthenticationFailedException("the provider returned no ID token");
        }
        JsonWebStructure structure;
        try {
            structure = JsonWebStructure.fromCompactSerialization(idToken);
        } catch (JoseException e) {
            throw new AuthenticationFailedException("ID token is not a JWT");
        }
        if (!(structure instanceof JsonWebSignature) || !ALGORITHMS.contains(structure.getAlgorithmHeaderValue())) {
            throw new AuthenticationFailedException("ID token algorithm not allowed: " + structure.getAlgorithmHeaderValue());
        }
        return structure.getKeyIdHeaderValue();
    }

    private JwtClaims checked(String idToken, List<JsonWebKey> currentKeys, String expectedNonce) {
        JwtClaims claims;
        try {
            claims = new JwtConsumerBuilder()
                    .setJwsAlgorithmConstraints(ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new))
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(currentKeys))
                    .setExpectedIssuers(true, issuers)
                    .setExpectedAudience(clientId)
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setIssuedAtRestrictions(skewSeconds, MAX_ISSUED_AGE_SECONDS)
                    .setRequireSubject()
                    .setAllowedClockSkewInSeconds(skewSeconds)
                    .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                    .build()
                    .processToClaims(idToken);
        } catch (InvalidJwtException e) {
            throw new AuthenticationFailedException("ID token rejected: " + JwtRejection.reasons(e));
        }
        try {
            checkNonce(claims.getStringClaimValue("nonce"), expectedNonce);
            checkAuthorizedParty(claims.getStringClaimValue("azp"), claims.getAudience());
        } catch (MalformedClaimException e) {
            throw new AuthenticationFailedException("ID token has a malformed claim: " + e.getMessage());
        }
        return claims;
    }

    private static void checkNonce(String actual, String expected) {
        // The nonce ties the token to the login this browser started; constant time, as for any secret.
        if (actual == null || !MessageDigest.isEqual(
                actual.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new AuthenticationFailedException("ID token nonce does not match this login");
        }
    }

    private void checkAuthorizedParty(String azp, List<String> audiences) {
        if (azp != null && !azp.equals(clientId)) {
            throw new AuthenticationFailedException("ID token was issued to another client (azp)");
        }
        if (azp == null && audiences.size() > 1) {
            throw new AuthenticationFailedException("ID token has several audiences and no azp");
        }
    }
}
