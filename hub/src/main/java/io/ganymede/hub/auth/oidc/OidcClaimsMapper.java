package io.ganymede.hub.auth.oidc;

import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Identity;
import io.ganymede.hub.auth.UsernameMapper;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;

/**
 * Turns verified ID-token claims into an {@link Identity}.
 *
 * <p>An email is only used when the provider says it is verified ({@code email_verified} absent
 * counts as verified, as Google omits it for Workspace accounts in some flows): an unverified
 * address could be anyone's, and the user name is derived from it. A username claim whose value
 * contains {@code @} is mapped like an email; any other value is lower-cased and checked by
 * {@link UsernameMapper#fromClaim}. Groups are taken from the groups claim as a list of strings
 * or a single string, exactly as the provider names them.
 */
final class OidcClaimsMapper {

    private OidcClaimsMapper() {}

    static Identity identity(JwtClaims claims, String usernameClaim, String groupsClaim) {
        String email = verifiedEmail(claims);
        Object raw = claims.getClaimValue(usernameClaim);
        if ("email".equals(usernameClaim) && raw != null && email == null) {
            throw new AccessDeniedException(String.valueOf(raw), "the provider has not verified this email address");
        }
        if (!(raw instanceof String value) || value.isBlank()) {
            throw new AuthenticationFailedException("ID token has no " + usernameClaim + " claim");
        }
        String username;
        try {
            username = value.contains("@") ? UsernameMapper.toUsername(value) : UsernameMapper.fromClaim(value);
        } catch (IllegalArgumentException e) {
            throw new AccessDeniedException(value, e.getMessage());
        }
        return new Identity(username, email == null ? null : email.toLowerCase(java.util.Locale.ROOT),
                groups(claims.getClaimValue(groupsClaim)), Identity.Source.OIDC);
    }

    static String hostedDomain(JwtClaims claims) {
        return claims.getClaimValue("hd") instanceof String hd ? hd : null;
    }

    private static String verifiedEmail(JwtClaims claims) {
        if (!(claims.getClaimValue("email") instanceof String email) || email.isBlank()) {
            return null;
        }
        Object verified = claims.getClaimValue("email_verified");
        boolean unverified = Boolean.FALSE.equals(verified) || "false".equalsIgnoreCase(String.valueOf(verified));
        return unverified ? null : email;
    }

    private static Set<String> groups(Object claim) {
        Set<String> groups = new LinkedHashSet<>();
        if (claim instanceof String single && !single.isBlank()) {
            groups.add(single);
        } else if (claim instanceof Collection<?> many) {
            for (Object group : many) {
                if (group instanceof String name && !name.isBlank()) {
                    groups.add(name);
                }
            }
        }
        return groups;
    }
}
