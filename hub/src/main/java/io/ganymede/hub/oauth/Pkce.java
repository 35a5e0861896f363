package io.ganymede.hub.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * PKCE (RFC 7636) as JupyterHub 6.0's OAuth provider checks it: an authorization may carry a
 * challenge ({@code S256}, or {@code plain} when no method is named), and the code it yields is
 * then exchanged only with the matching verifier. Errors use oauthlib's codes and words, which
 * JupyterHub's single-user servers see.
 */
public final class Pkce {

    /** RFC 7636: 43 to 128 unreserved characters; the challenge of either method has the same shape. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private Pkce() {}

    /**
     * The method to keep with the code, or null when the authorization asked without PKCE.
     *
     * @throws OAuthError for a missing challenge the hub requires, a method other than S256 or
     *     plain, or a challenge of the wrong shape
     */
    static String method(String challenge, String method, boolean required) {
        if (challenge == null) {
            if (required) {
                throw new OAuthError(400, "invalid_request", "Code challenge required.");
            }
            return null;
        }
        String m = method == null ? "plain" : method;
        if (!m.equals("S256") && !m.equals("plain")) {
            throw new OAuthError(400, "invalid_request", "Transform algorithm not supported.");
        }
        if (!SHAPE.matcher(challenge).matches()) {
            throw new OAuthError(400, "invalid_request", "Code challenge must be 43 to 128 unreserved characters.");
        }
        return m;
    }

    /**
     * Checks the exchange's verifier against the code's challenge (null: the code was asked
     * without one).
     *
     * @throws OAuthError when a verifier is needed and missing, or does not match
     */
    static void verify(String challenge, String method, String verifier, boolean required) {
        if (challenge == null) {
            if (required) {
                throw verifier == null ? new OAuthError(400, "invalid_request", "Code verifier required.")
                        : new OAuthError(400, "invalid_grant", "Challenge not found.");
            }
            return;
        }
        if (verifier == null) {
            throw new OAuthError(400, "invalid_request", "Code verifier required.");
        }
        String expected = method.equals("S256") ? s256(verifier) : verifier;
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII))) {
            throw new OAuthError(400, "invalid_grant", "Code verifier does not match the challenge.");
        }
    }

    /** RFC 7636 4.2, BASE64URL(SHA256(ASCII(code_verifier))); also the hub's own, as an OIDC client. */
    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
