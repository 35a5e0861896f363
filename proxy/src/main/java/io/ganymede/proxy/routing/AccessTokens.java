package io.ganymede.proxy.routing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access tokens for routes whose app has no login of its own (RStudio, code-server): the hub,
 * having checked that a user may use a server, hands the browser a token bound to the route's
 * path and an expiry, signed with a key both sides derive from the proxy API's shared secret;
 * the proxy checks it on every request. Format: {@code <expiry epoch seconds>.<base64url HMAC>}.
 */
public final class AccessTokens {

    /** The cookie that carries the token, scoped by the hub to the route's path. */
    public static final String COOKIE = "ganymede-access";

    private final byte[] key;

    /** @param sharedSecret the proxy API's token ({@code CONFIGPROXY_AUTH_TOKEN}) */
    public AccessTokens(String sharedSecret) {
        // A key of its own, so a token can never be replayed as the API secret or the reverse.
        this.key = hmac(sharedSecret.getBytes(StandardCharsets.UTF_8), "ganymede route access");
    }

    public String issue(String routePath, long expiresEpochSeconds) {
        return expiresEpochSeconds + "." + signature(routePath, expiresEpochSeconds);
    }

    /** Whether {@code token} was issued for this route and has not expired. */
    public boolean valid(String token, String routePath, long nowEpochSeconds) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long expires;
        try {
            expires = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        if (expires <= nowEpochSeconds) {
            return false;
        }
        byte[] expected = signature(routePath, expires).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String routePath, long expires) {
        byte[] mac = hmac(key, RoutePath.clean(routePath) + "\n" + expires);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
