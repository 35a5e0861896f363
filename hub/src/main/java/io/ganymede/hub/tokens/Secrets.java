package io.ganymede.hub.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets and their salted hashes; hashes are compared in constant time. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** 32 random bytes, URL-safe: 256 bits, so a single salted SHA-256 round is enough to store it. */
    public static String newSecret() {
        return random(32);
    }

    public static String newSalt() {
        return random(16);
    }

    private static String random(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }

    public static String hash(String salt, String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A short, stable name for a credential in the log: the first 8 hex digits of its SHA-256.
     * Enough to tell which assertion or token a line is about and to match two lines, far too
     * little to rebuild or replay it. Never log the credential itself.
     */
    public static String fingerprint(String credential) {
        return credential == null ? "none" : hash("", credential).substring(0, 8);
    }

    /**
     * Whether the secret has this salted hash: Ganymede's own, or JupyterHub's for a token or an
     * OAuth client secret imported from a JupyterHub database (its salt is {@code algorithm:rounds:salt},
     * see {@link JupyterHubHash}). Constant time in the hash either way.
     */
    public static boolean matches(String salt, String expectedHash, String secret) {
        String actual = JupyterHubHash.isScheme(salt) ? JupyterHubHash.digest(salt, secret) : hash(salt, secret);
        return MessageDigest.isEqual(
                expectedHash.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
    }
}
