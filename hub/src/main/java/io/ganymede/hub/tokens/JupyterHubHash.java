package io.ganymede.hub.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * JupyterHub's salted token hash ({@code jupyterhub/utils.py} {@code hash_token}), so tokens and
 * OAuth client secrets imported from a JupyterHub database keep working unchanged: the digest of
 * the salt followed by the secret repeated {@code rounds} times, kept as
 * {@code algorithm:rounds:salt:hexdigest}. Ganymede stores it split in two: the salt column holds
 * {@code algorithm:rounds:salt} (a colon no salt of Ganymede's own has) and the hash column the
 * digest, so one column pair serves both schemes.
 */
public final class JupyterHubHash {

    /** JupyterHub's own tokens are at most this many rounds (16384); more is refused as a denial of service. */
    static final int MAX_ROUNDS = 1 << 20;

    /**
     * A stored hash split the way Ganymede keeps it.
     *
     * @param salt {@code algorithm:rounds:salt}
     * @param digest the hex digest
     */
    public record Parts(String salt, String digest) {}

    private JupyterHubHash() {}

    /** Splits JupyterHub's {@code algorithm:rounds:salt:hexdigest}; empty when it is not one. */
    public static Optional<Parts> parse(String hashed) {
        if (hashed == null) {
            return Optional.empty();
        }
        int last = hashed.lastIndexOf(':');
        if (last < 0) {
            return Optional.empty();
        }
        String salt = hashed.substring(0, last);
        if (!isScheme(salt) || last == hashed.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Parts(salt, hashed.substring(last + 1)));
    }

    /** Whether a stored salt is JupyterHub's {@code algorithm:rounds:salt} with an algorithm and rounds this JVM can use. */
    public static boolean isScheme(String salt) {
        String[] parts = salt == null ? new String[0] : salt.split(":", -1);
        if (parts.length != 3) {
            return false;
        }
        try {
            int rounds = Integer.parseInt(parts[1]);
            MessageDigest.getInstance(javaName(parts[0]));
            return rounds >= 1 && rounds <= MAX_ROUNDS;
        } catch (NumberFormatException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    /** The hex digest JupyterHub computes for this secret with {@code algorithm:rounds:salt}. */
    public static String digest(String scheme, String secret) {
        if (!isScheme(scheme)) {
            throw new IllegalArgumentException("not a JupyterHub hash scheme");
        }
        String[] parts = scheme.split(":", -1);
        try {
            MessageDigest digest = MessageDigest.getInstance(javaName(parts[0]));
            digest.update(parts[2].getBytes(StandardCharsets.UTF_8));
            byte[] token = secret.getBytes(StandardCharsets.UTF_8);
            for (int i = Integer.parseInt(parts[1]); i > 0; i--) {
                digest.update(token);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** hashlib's names (sha512, sha256, sha1, md5) as Java's. */
    private static String javaName(String algorithm) {
        return switch (algorithm) {
            case "sha512" -> "SHA-512";
            case "sha384" -> "SHA-384";
            case "sha256" -> "SHA-256";
            case "sha224" -> "SHA-224";
            case "sha1" -> "SHA-1";
            case "md5" -> "MD5";
            default -> algorithm;
        };
    }
}
