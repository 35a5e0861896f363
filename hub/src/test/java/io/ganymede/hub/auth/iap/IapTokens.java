package io.ganymede.hub.auth.iap;

import java.time.Instant;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/** Mints IAP-shaped assertions with test keys. */
final class IapTokens {

    static final String ISSUER = "https://cloud.google.com/iap";
    static final String AUDIENCE = "/projects/123456789/global/backendServices/987654321";

    private IapTokens() {}

    static EllipticCurveJsonWebKey newKey(String kid) throws JoseException {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId(kid);
        key.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        key.setUse("sig");
        return key;
    }

    /** The claims IAP sends for a Google account, issued at {@code now}, valid ten minutes. */
    static JwtClaims claims(Instant now, String email) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.getEpochSecond() + 600));
        claims.setSubject("accounts.google.com:1234567890");
        claims.setClaim("email", email);
        return claims;
    }

    static String sign(JwtClaims claims, EllipticCurveJsonWebKey key) throws JoseException {
        return sign(claims, key, key.getKeyId());
    }

    static String sign(JwtClaims claims, EllipticCurveJsonWebKey key, String kid) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }
}
