package io.ganymede.hub.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What {@code ganymede.oauth.require-pkce} changes: an authorization or exchange without PKCE is refused. */
class PkceTest {

    private static final String VERIFIER = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW-gFWFOEjXk";

    @Test
    void requiredPkceRefusesWhatOptionalPkceLetsThrough() {
        assertNull(Pkce.method(null, null, false));
        Pkce.verify(null, null, null, false);

        OAuthError noChallenge = assertThrows(OAuthError.class, () -> Pkce.method(null, null, true));
        assertEquals(400, noChallenge.status());
        assertThrows(OAuthError.class, () -> Pkce.verify(null, null, null, true));
        assertThrows(OAuthError.class, () -> Pkce.verify(null, null, VERIFIER, true));
        assertEquals("S256", Pkce.method(Pkce.s256(VERIFIER), "S256", true));
        Pkce.verify(Pkce.s256(VERIFIER), "S256", VERIFIER, true);
    }
}
