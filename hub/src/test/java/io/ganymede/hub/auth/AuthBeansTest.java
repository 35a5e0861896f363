package io.ganymede.hub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ganymede.hub.auth.iap.IapRequestAuthenticator;
import io.ganymede.hub.auth.oidc.OidcCodeFlow;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The auth components as the hub core gets them: injectable, configured from application.yaml. */
@QuarkusTest
class AuthBeansTest {

    @Inject
    AuthConfig config;

    @Inject
    IapRequestAuthenticator iap;

    @Inject
    OidcCodeFlow oidc;

    @Test
    void defaultsComeFromApplicationYaml() {
        assertEquals(AuthConfig.Mode.DEV, config.mode());
        assertEquals(Duration.ofSeconds(30), config.iap().clockSkew());
        assertEquals(Duration.ofHours(1), config.iap().jwksMaxAge());
        assertEquals("https://cloud.google.com/iap", config.iap().issuer());
        assertEquals(List.of("openid", "email", "profile"), config.oidc().scopes());
        assertEquals(Duration.ofMinutes(10), config.oidc().loginTimeout());
        assertEquals(AccessPolicy.OPEN, config.accessPolicy());
    }

    @Test
    void iapAuthenticatorIsWiredAndRefusesARequestWithoutAssertion() {
        Map<String, String> none = Map.of("x-goog-authenticated-user-email", "accounts.google.com:alice@example.com");
        assertThrows(AuthenticationFailedException.class,
                () -> iap.authenticate(none::get).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void oidcFlowWithoutProviderSettingsFailsClearly() {
        assertThrows(IllegalStateException.class, () -> oidc.begin("/hub/").await().atMost(Duration.ofSeconds(5)));
    }
}
