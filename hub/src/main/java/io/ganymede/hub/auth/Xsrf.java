package io.ganymede.hub.auth;

import io.ganymede.hub.tokens.Secrets;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Double-submit XSRF protection for the hub's forms: a random value in a cookie that pages copy
 * into a hidden {@code _xsrf} field (or the {@code X-XSRFToken} header); a cross-site form can
 * send the cookie but cannot read it to fill the field.
 */
public final class Xsrf {

    private Xsrf() {}

    /** The current value, or a new one to set with {@link #cookie}. */
    public static String value(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(CallerFilter.XSRF_COOKIE);
        return cookie != null && !cookie.getValue().isEmpty() ? cookie.getValue() : Secrets.newSecret();
    }

    public static NewCookie cookie(String value) {
        return new NewCookie.Builder(CallerFilter.XSRF_COOKIE).value(value).path("/hub/").sameSite(NewCookie.SameSite.LAX).build();
    }

    public static boolean valid(HttpHeaders headers, String submitted) {
        Cookie cookie = headers.getCookies().get(CallerFilter.XSRF_COOKIE);
        return matches(cookie == null ? null : cookie.getValue(), submitted);
    }

    /** Whether a submitted token equals the cookie's, in constant time; neither may be empty. */
    static boolean matches(String cookie, String submitted) {
        return cookie != null && !cookie.isEmpty() && submitted != null && MessageDigest.isEqual(
                cookie.getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8));
    }
}
