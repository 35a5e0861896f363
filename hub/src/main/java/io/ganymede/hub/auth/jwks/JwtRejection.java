package io.ganymede.hub.auth.jwks;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Why jose4j refused a JWT, in words that carry no part of it. jose4j's own messages embed the
 * whole token (a bad signature or an unknown key id reads {@code JsonWebSignature{...}->eyJ...})
 * or its claim set, and a token with a valid signature stays replayable until it expires, so
 * none of them may reach a log. Reasons come from the error codes; the claim checks' own
 * messages (expiry, audience, issuer values) are kept, with anything shaped like a compact JWT
 * cut out.
 */
public final class JwtRejection {

    // A compact JWS or JWE: its header is base64url JSON, so it always starts with "eyJ".
    private static final Pattern COMPACT_JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*(\\.[A-Za-z0-9_=-]*)+");

    private JwtRejection() {}

    /** The reasons of a refusal, joined by {@code "; "}. */
    public static String reasons(InvalidJwtException e) {
        List<ErrorCodeValidator.Error> details = e.getErrorDetails();
        if (details == null || details.isEmpty()) {
            return "rejected";
        }
        return details.stream().map(d -> reason(d, e.getCause())).distinct().collect(Collectors.joining("; "));
    }

    private static String reason(ErrorCodeValidator.Error error, Throwable cause) {
        return switch (error.getErrorCode()) {
            case ErrorCodes.SIGNATURE_INVALID -> "invalid signature";
            case ErrorCodes.SIGNATURE_MISSING -> "not signed";
            case ErrorCodes.JSON_INVALID -> "claims are not valid JSON";
            case ErrorCodes.MISCELLANEOUS -> causedBy(cause, UnresolvableKeyException.class)
                    ? "no published key has its key id (kid)"
                    : "cannot be processed" + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
            default -> withoutJwt(error.getErrorMessage());
        };
    }

    /** The text with every compact JWT in it replaced. */
    static String withoutJwt(String text) {
        return text == null ? "" : COMPACT_JWT.matcher(text).replaceAll("[token]");
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
