package io.ganymede.hub.auth.oidc;

import java.net.URI;

/**
 * Where to send the browser to sign in, and the state to bind to that browser.
 *
 * @param location the provider's authorization URL; answer {@code 302 Location: location}
 * @param state store this in a short-lived, HttpOnly, SameSite=Lax cookie and hand it back to
 *     {@link OidcCodeFlow#complete}: it proves the callback arrives in the browser that started
 *     the login, which stops login cross-site request forgery
 */
public record LoginRedirect(URI location, String state) {}
