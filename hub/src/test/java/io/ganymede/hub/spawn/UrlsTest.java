package io.ganymede.hub.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Names escaped as JupyterHub escapes them. The expected values are what CPython's
 * {@code urllib.parse.quote} gives: {@code "jupyterhub-user-" + quote(name)} for the client id and
 * {@code quote(name, safe="@~")} ({@code url_escape_path}) for URLs.
 */
class UrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "alice@example.com        | jupyterhub-user-alice%40example.com                  | alice@example.com",
        "o'brien+test@example.com | jupyterhub-user-o%27brien%2Btest%40example.com       | o%27brien%2Btest@example.com",
        "ünïcode Ω@x.org          | jupyterhub-user-%C3%BCn%C3%AFcode%20%CE%A9%40x.org   | %C3%BCn%C3%AFcode%20%CE%A9@x.org",
        "a b~c%d                  | jupyterhub-user-a%20b~c%25d                          | a%20b~c%25d",
    })
    void userNamesAsJupyterHubQuotesThem(String name, String clientId, String segment) {
        assertEquals(clientId, Urls.clientId(name, ""));
        assertEquals(segment, Urls.escape(name));
        assertEquals("/user/" + segment + "/", Urls.serverPrefix(name, ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "alice@example.com | my gpü | jupyterhub-user-alice%40example.com-my%20gp%C3%BC | /user/alice@example.com/my%20gp%C3%BC/",
        "alice@example.com | gpu    | jupyterhub-user-alice%40example.com-gpu          | /user/alice@example.com/gpu/",
    })
    void namedServers(String user, String server, String clientId, String prefix) {
        assertEquals(clientId, Urls.clientId(user, server));
        assertEquals(prefix, Urls.serverPrefix(user, server));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/user/o'brien+test@example.com/my gpu | /user/o%27brien%2Btest@example.com/my%20gpu",
        "/                                     | /",
    })
    void routesFromTheProxysUnescapedTable(String listed, String spec) {
        assertEquals(spec, Urls.escapeRoute(listed));
    }
}
