package io.ganymede.hub.auth.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Identity;
import java.util.List;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

class OidcClaimsMapperTest {

    private static JwtClaims claims(String email, Object verified) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("sub-1");
        if (email != null) {
            claims.setClaim("email", email);
        }
        if (verified != null) {
            claims.setClaim("email_verified", verified);
        }
        return claims;
    }

    @Test
    void verifiedEmailBecomesTheName() {
        Identity identity = OidcClaimsMapper.identity(claims("Erin@Example.com", true), "email", "groups");
        assertEquals(new Identity("erin@example.com", "erin@example.com", Set.of(), Identity.Source.OIDC), identity);
    }

    @Test
    void absentVerificationFlagCountsAsVerified() {
        assertEquals("erin@example.com",
                OidcClaimsMapper.identity(claims("erin@example.com", null), "email", "groups").username());
    }

    @Test
    void unverifiedEmailIsRefusedAsAName() {
        assertThrows(AccessDeniedException.class,
                () -> OidcClaimsMapper.identity(claims("erin@example.com", false), "email", "groups"));
        assertThrows(AccessDeniedException.class,
                () -> OidcClaimsMapper.identity(claims("erin@example.com", "false"), "email", "groups"));
    }

    @Test
    void unverifiedEmailIsDroppedWhenTheNameComesFromElsewhere() {
        JwtClaims claims = claims("erin@example.com", false);
        claims.setClaim("preferred_username", "Erin");
        Identity identity = OidcClaimsMapper.identity(claims, "preferred_username", "groups");
        assertEquals("erin", identity.username());
        assertNull(identity.email());
    }

    @Test
    void missingNameClaimFails() {
        assertThrows(AuthenticationFailedException.class,
                () -> OidcClaimsMapper.identity(claims(null, null), "email", "groups"));
        JwtClaims numeric = claims(null, null);
        numeric.setClaim("uid", 42);
        assertThrows(AuthenticationFailedException.class, () -> OidcClaimsMapper.identity(numeric, "uid", "groups"));
    }

    @Test
    void unsafeNameIsRefused() {
        JwtClaims claims = claims(null, null);
        claims.setClaim("preferred_username", "../admin");
        assertThrows(AccessDeniedException.class,
                () -> OidcClaimsMapper.identity(claims, "preferred_username", "groups"));
    }

    @Test
    void groupsComeAsListOrSingleString() {
        JwtClaims list = claims("erin@example.com", true);
        list.setClaim("groups", List.of("a", "b", 3, ""));
        assertEquals(Set.of("a", "b"), OidcClaimsMapper.identity(list, "email", "groups").groups());
        JwtClaims single = claims("erin@example.com", true);
        single.setClaim("roles", "admins");
        assertEquals(Set.of("admins"), OidcClaimsMapper.identity(single, "email", "roles").groups());
    }

    @Test
    void hostedDomainIsReadWhenPresent() {
        JwtClaims claims = claims("erin@example.com", true);
        assertNull(OidcClaimsMapper.hostedDomain(claims));
        claims.setClaim("hd", "example.com");
        assertEquals("example.com", OidcClaimsMapper.hostedDomain(claims));
    }
}
