package io.ganymede.hub.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The expected hashes were made by JupyterHub 5.5.4's own {@code jupyterhub.utils.hash_token}. */
class JupyterHubHashTest {

    /** A generated token's hash (one round), as JupyterHub keeps API tokens. */
    static final String ONE_ROUND = "sha512:1:a1b2c3d4e5f60718:db3730979813fe74aeddb6348bc06b47cc99c6868ad055a76ff914acb8e7134a"
            + "cff0b7070f169c6b346e7bd361b6342082621f41a06185b60b4a4189d4709e09";
    /** 16384 rounds, as JupyterHub keeps OAuth client secrets. */
    static final String MANY_ROUNDS = "sha512:16384:00ff00ff00ff00ff:3d7209a07bbbccba7c56282cdc97fd6cceb96c79623266724c15303bd"
            + "14141e23575078c5f867b994d16a7adafa671c0e30c1980844747da09c4de986cf5a7af";

    @Test
    void verifiesWhatJupyterHubHashed() {
        JupyterHubHash.Parts one = JupyterHubHash.parse(ONE_ROUND).orElseThrow();
        assertEquals("sha512:1:a1b2c3d4e5f60718", one.salt());
        assertTrue(Secrets.matches(one.salt(), one.digest(), "0123456789abcdef0123456789abcdef"));
        assertFalse(Secrets.matches(one.salt(), one.digest(), "0123456789abcdef0123456789abcdeF"));

        JupyterHubHash.Parts many = JupyterHubHash.parse(MANY_ROUNDS).orElseThrow();
        assertTrue(Secrets.matches(many.salt(), many.digest(), "s3cret-token"));
        assertFalse(Secrets.matches(many.salt(), many.digest(), "s3cret-token "));
    }

    @Test
    void ganymedesOwnHashesAreUnaffected() {
        String salt = Secrets.newSalt();
        assertFalse(JupyterHubHash.isScheme(salt));
        assertTrue(Secrets.matches(salt, Secrets.hash(salt, "abc"), "abc"));
        assertTrue(Secrets.matches("", Secrets.hash("", "abc"), "abc"));
    }

    @Test
    void refusesWhatIsNotJupyterHubsScheme() {
        assertTrue(JupyterHubHash.parse("plain").isEmpty());
        assertTrue(JupyterHubHash.parse("sha512:1:salt:").isEmpty());
        assertTrue(JupyterHubHash.parse("nosuchalgo:1:salt:00").isEmpty());
        assertTrue(JupyterHubHash.parse("sha512:0:salt:00").isEmpty());
        assertTrue(JupyterHubHash.parse("sha512:99999999:salt:00").isEmpty());
        assertTrue(JupyterHubHash.parse("sha512:x:salt:00").isEmpty());
    }
}
