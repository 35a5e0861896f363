package io.ganymede.hub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UsernameMapperTest {

    @ParameterizedTest
    @CsvSource({
        "alice@example.com, alice@example.com",
        "Alice@Example.COM, alice@example.com",
        "ALICE.SMITH@EXAMPLE.COM, alice.smith@example.com",
        "alice+notebooks@example.com, alice+notebooks@example.com",
        "alice@eu.corp.example.com, alice@eu.corp.example.com",
        "o'brien@example.ie, o'brien@example.ie",
        "first_last-2@example.co.uk, first_last-2@example.co.uk",
        "svc-pipeline@my-project.iam.gserviceaccount.com, svc-pipeline@my-project.iam.gserviceaccount.com",
        "'  bob@example.com ', bob@example.com",
    })
    void emailsMapToNames(String email, String name) {
        assertEquals(name, UsernameMapper.toUsername(email));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "alice@example.com", "Alice+X@Sub.Example.com", "o'brien@example.ie", "a.b-c_d@x-y.example"
    })
    void namesGiveTheEmailBack(String email) {
        String name = UsernameMapper.toUsername(email);
        assertEquals(Optional.of(email.toLowerCase()), UsernameMapper.toEmail(name));
        assertEquals(name, UsernameMapper.toUsername(UsernameMapper.toEmail(name).orElseThrow()));
    }

    @Test
    void sameLocalPartInTwoDomainsGivesTwoNames() {
        List<String> emails = List.of(
                "alice@example.com", "alice@example.org", "alice@eu.example.com", "alice@exampl.ecom",
                "alice.example@com.x", "alice+a@example.com", "alicea@example.com", "ali.ce@example.com",
                "alice@example.co", "alice@example.com.au");
        Map<String, String> seen = new HashMap<>();
        for (String email : emails) {
            String previous = seen.put(UsernameMapper.toUsername(email), email);
            assertEquals(null, previous, () -> email + " collides with " + seen.get(UsernameMapper.toUsername(email)));
        }
    }

    @Test
    void onlyCaseVariantsOfOneAddressShareAName() {
        assertEquals(UsernameMapper.toUsername("Bob@Example.com"), UsernameMapper.toUsername("bob@example.COM"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "alice", "@example.com", "alice@", "alice@@example.com", "a@b@example.com", "al ice@example.com",
        "a/b@example.com", "a%2f@example.com", "a?b@example.com", "a#b@example.com", "\"quoted\"@example.com",
        "ålice@example.com", "alice@exa_mple.com", "alice@.example.com", "alice@example..com", "al\nice@example.com"
    })
    void unsafeAddressesAreRefused(String email) {
        assertThrows(IllegalArgumentException.class, () -> UsernameMapper.toUsername(email));
    }

    @Test
    void overlongAddressesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UsernameMapper.toUsername("a".repeat(250) + "@example.com"));
        assertThrows(IllegalArgumentException.class, () -> UsernameMapper.toUsername(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "admin", "Alice@Example.com", "a/b@example.com", ""})
    void namesNotMadeFromAnEmailHaveNone(String name) {
        assertEquals(Optional.empty(), UsernameMapper.toEmail(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com", "alice+x@example.com", "o'brien@example.ie"})
    void namesNeedNoEscapingInAUserPath(String email) {
        String name = UsernameMapper.toUsername(email);
        URI uri = URI.create("http://127.0.0.1:8000/user/" + name + "/lab");
        assertEquals("/user/" + name + "/lab", uri.getRawPath());
        assertEquals(uri.getRawPath(), uri.getPath());
    }

    @Test
    void claimValuesAreLowerCasedAndChecked() {
        assertEquals("alice", UsernameMapper.fromClaim("Alice"));
        assertEquals("alice@example.com", UsernameMapper.fromClaim("alice@example.com"));
        assertThrows(IllegalArgumentException.class, () -> UsernameMapper.fromClaim("a/b"));
        assertThrows(IllegalArgumentException.class, () -> UsernameMapper.fromClaim(" "));
        for (String dots : List.of(".", "..", "...", "@", "-")) {
            assertThrows(IllegalArgumentException.class, () -> UsernameMapper.fromClaim(dots), dots);
        }
    }

    @Test
    void domainOfAddressOrName() {
        assertEquals(Optional.of("example.com"), UsernameMapper.domainOf("alice@Example.com"));
        assertTrue(UsernameMapper.domainOf("alice").isEmpty());
        assertTrue(UsernameMapper.domainOf(null).isEmpty());
    }
}
