package io.ganymede.hub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Where {@code ?next=} may send a browser, as JupyterHub's {@code get_next_url} decides. */
class NextUrlTest {

    private static final String HOST = "hub.example.com";

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com", "evil", "",
            "http://hub.example.com.evil.example/x", "javascript:alert(1)", "/\t/evil.example.com", "/a\nb", "/a\u007fb",
            "https://hub.example.com", "///evil.example.com"})
    void offSiteOrBrokenTargetsAreRefused(String next) {
        assertNull(NextUrl.validated(next, HOST));
        assertEquals(URI.create("/hub/home"), NextUrl.location(next, HOST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hub/", "/hub/spawn?profile=gpu", "/user/alice@example.com/lab", "/user/o'brien+test@example.com/",
            "/hub/home?a=1&b=2#top", "/user/alice@example.com/lab/tree/a%20b.ipynb"})
    void pathsOnThisSiteAreKeptAsTheyAre(String next) {
        assertEquals(next, NextUrl.validated(next, HOST));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " -> ", value = {
        "/a b -> /a%20b",
        "/hub/^ -> /hub/%5E",
        "/hub/| -> /hub/%7C",
        "/hub/` -> /hub/%60",
        "/hub/<x> -> /hub/%3Cx%3E",
        "/hub/{x} -> /hub/%7Bx%7D",
        "/% -> /%25",
        "/%zz -> /%25zz",
        "/hub/home?x={y} -> /hub/home?x=%7By%7D",
        "/a\\b -> /a%5Cb",
        "/\u00e9t\u00e9 -> /%C3%A9t%C3%A9",
        "/x#a#b -> /x#a%23b",
        "https://hub.example.com/hub/spawn?x=1 -> /hub/spawn?x=1",
        "//HUB.example.com/hub/token -> /hub/token",
    })
    void acceptedTargetsAreEscapedIntoValidUrls(String next, String expected) {
        assertEquals(expected, NextUrl.validated(next, HOST));
        URI.create(NextUrl.orHome(next, HOST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hub.example.com/hub/", "//hub.example.com/hub/"})
    void absoluteUrlsNeedTheRequestsHost(String next) {
        assertNull(NextUrl.validated(next, null));
        assertNull(NextUrl.validated(next, "other.example.com"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/hub/spawn||/hub/login?next=%2Fhub%2Fspawn",
        "/hub/api/oauth2/authorize|client_id=x&state={y}|/hub/login?next=%2Fhub%2Fapi%2Foauth2%2Fauthorize%3Fclient_id%3Dx%26state%3D%7By%7D",
    })
    void theLoginPageComesBackHere(String path, String query, String expected) {
        assertEquals(URI.create(expected), NextUrl.toLogin(path, query));
    }
}
