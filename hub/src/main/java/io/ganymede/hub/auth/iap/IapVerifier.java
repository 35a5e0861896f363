package io.ganymede.hub.auth.iap;

import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Identity;
import io.ganymede.hub.auth.UsernameMapper;
import io.ganymede.hub.auth.jwks.JwksKeyCache;
import io.ganymede.hub.auth.jwks.JwtRejection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
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
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Verifies the {@code x-goog-iap-jwt-assertion} that Google Cloud IAP adds to every request it lets
 * through, as Google documents: ES256 signature by a key in IAP's published JWKS, {@code iss}
 * {@code https://cloud.google.com/iap}, {@code aud} one of the configured backend services, and
 * {@code exp}/{@code iat} within the clock skew. Only this signed assertion is trusted; the plain
 * {@code x-goog-authenticated-user-email} header can be set by anyone who reaches the hub without
 * passing through IAP.
 */
@ApplicationScoped
public class IapVerifier {

    // IAP assertions live ten minutes; an iat older than a day is not a real one.
    private static final int MAX_ISSUED_AGE_SECONDS = 24 * 3600;

    private final JwksKeyCache keys;
    private final IapSettings settings;
    private final Clock clock;

    @Inject
    public IapVerifier(AuthConfig config, Vertx vertx) {
        this(IapSettings.from(config), WebClient.create(vertx), Clock.systemUTC());
    }

    public IapVerifier(IapSettings settings, WebClient client, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.keys = new JwksKeyCache(
                client, settings.jwksUrl(), settings.jwksMinRefreshInterval(), settings.jwksMaxAge(), clock);
    }

    /**
     * The identity an assertion vouches for.
     *
     * @return a {@link Uni} that fails with {@link AuthenticationFailedException} (answer 401) when
     *     the assertion is missing, malformed, forged, expired or meant for another backend, and with
     *     {@link AccessDeniedException} (answer 403) when the allow-lists refuse the verified user
     */
    public Uni<Identity> verify(String assertion) {
        String kid;
        try {
            kid = signingKeyId(assertion);
        } catch (AuthenticationFailedException e) {
            return Uni.createFrom().failure(e);
        }
        return keys.keysFor(kid).map(current -> identity(claims(assertion, current)));
    }

    // Rejects anything but an ES256 JWS with a key id before any key lookup, so alg=none, HMAC
    // tokens and garbage never cause a fetch.
    private static String signingKeyId(String assertion) {
        if (assertion == null || assertion.isBlank()) {
            throw new AuthenticationFailedException("no IAP assertion");
        }
        JsonWebStructure structure;
        try {
            structure = JsonWebStructure.fromCompactSerialization(assertion.strip());
        } catch (JoseException e) {
            throw new AuthenticationFailedException("IAP assertion is not a JWT");
        }
        if (!(structure instanceof JsonWebSignature)) {
            throw new AuthenticationFailedException("IAP assertion is not signed");
        }
        if (!AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256.equals(structure.getAlgorithmHeaderValue())) {
            throw new AuthenticationFailedException(
                    "IAP assertion algorithm not allowed: " + structure.getAlgorithmHeaderValue());
        }
        String kid = structure.getKeyIdHeaderValue();
        if (kid == null || kid.isBlank()) {
            throw new AuthenticationFailedException("IAP assertion has no key id");
        }
        return kid;
    }

    private JwtClaims claims(String assertion, List<JsonWebKey> currentKeys) {
        if (settings.audiences().isEmpty()) {
            throw new AuthenticationFailedException("no IAP audience configured (ganymede.auth.iap.audiences)");
        }
        int skew = (int) settings.clockSkew().toSeconds();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(currentKeys))
                .setExpectedIssuer(settings.issuer())
                .setExpectedAudience(settings.audiences().toArray(String[]::new))
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setIssuedAtRestrictions(skew, MAX_ISSUED_AGE_SECONDS)
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(skew)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
        try {
            return consumer.processToClaims(assertion.strip());
        } catch (InvalidJwtException e) {
            throw new AuthenticationFailedException("IAP assertion rejected: " + JwtRejection.reasons(e));
        }
    }

    private Identity identity(JwtClaims claims) {
        String email;
        String hostedDomain;
        try {
            email = claims.getStringClaimValue("email");
            hostedDomain = claims.getStringClaimValue("hd");
        } catch (MalformedClaimException e) {
            throw new AuthenticationFailedException("IAP assertion has a malformed claim: " + e.getMessage());
        }
        if (email == null || email.isBlank()) {
            throw new AuthenticationFailedException("IAP assertion has no email");
        }
        String username;
        try {
            username = UsernameMapper.toUsername(email);
        } catch (IllegalArgumentException e) {
            throw new AccessDeniedException(email, e.getMessage());
        }
        Identity identity = new Identity(username, username, Set.of(), Identity.Source.IAP);
        settings.accessPolicy().check(identity, hostedDomain);
        return identity;
    }
}
