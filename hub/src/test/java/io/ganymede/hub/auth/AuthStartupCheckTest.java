package io.ganymede.hub.auth;

import static io.ganymede.hub.auth.AuthConfig.Mode.DEV;
import static io.ganymede.hub.auth.AuthConfig.Mode.IAP;
import static io.ganymede.hub.auth.AuthConfig.Mode.OIDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthStartupCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void devModeOnLoopbackStarts(String host) {
        assertEquals(Optional.empty(), AuthStartupCheck.bindingProblem(DEV, false, host, true, host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "10.1.2.3", "192.168.0.1", "hub.example.com", "localhost.example.com", "", "128.0.0.1"})
    void devModeOnOtherAddressesIsRefused(String host) {
        Optional<String> onHttp = AuthStartupCheck.bindingProblem(DEV, false, host, true, "127.0.0.1");
        assertTrue(onHttp.isPresent(), host);
        assertTrue(onHttp.get().contains("quarkus.http.host"), onHttp.get());
        Optional<String> onProxy = AuthStartupCheck.bindingProblem(DEV, false, "127.0.0.1", true, host);
        assertTrue(onProxy.isPresent(), host);
        assertTrue(onProxy.get().contains("ganymede.proxy.public-ip"), onProxy.get());
    }

    @Test
    void externalProxyAddressIsNotTheHubsConcern() {
        assertEquals(Optional.empty(), AuthStartupCheck.bindingProblem(DEV, false, "127.0.0.1", false, "0.0.0.0"));
    }

    @Test
    void overrideFlagIsHonoured() {
        assertEquals(Optional.empty(), AuthStartupCheck.bindingProblem(DEV, true, "0.0.0.0", true, "0.0.0.0"));
    }

    @Test
    void otherModesMayListenAnywhere() {
        assertEquals(Optional.empty(), AuthStartupCheck.bindingProblem(IAP, false, "0.0.0.0", true, "0.0.0.0"));
        assertEquals(Optional.empty(), AuthStartupCheck.bindingProblem(OIDC, false, "0.0.0.0", true, "0.0.0.0"));
    }

    @Test
    void iapModeNeedsAudiences() {
        assertEquals(1, AuthStartupCheck.missingSettings(IAP, Set.of(), Optional.empty(), Optional.empty()).size());
        assertEquals(List.of(), AuthStartupCheck.missingSettings(IAP, Set.of("/projects/1/global/backendServices/2"),
                Optional.empty(), Optional.empty()));
    }

    @Test
    void oidcModeNeedsIssuerAndClient() {
        assertEquals(2, AuthStartupCheck.missingSettings(OIDC, Set.of(), Optional.of(" "), Optional.empty()).size());
        assertEquals(List.of(), AuthStartupCheck.missingSettings(OIDC, Set.of(),
                Optional.of("https://accounts.google.com"), Optional.of("client")));
    }

    @Test
    void devModeNeedsNothing() {
        assertEquals(List.of(), AuthStartupCheck.missingSettings(DEV, Set.of(), Optional.empty(), Optional.empty()));
    }
}
