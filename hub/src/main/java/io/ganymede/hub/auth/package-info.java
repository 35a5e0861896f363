/**
 * Sign-in: who a request or a login belongs to. The hub core owns users, sessions, cookies and
 * tokens; this package only turns what the browser or IAP presents into a verified
 * {@link io.ganymede.hub.auth.Identity}, or refuses.
 *
 * <h2>User names</h2>
 * A user's JupyterHub name is their full email address, lower-cased ({@code Alice@Example.com}
 * signs in as {@code alice@example.com} and works under {@code /user/alice@example.com/}). Keeping
 * the domain means two people with the same local part at different domains never share a name;
 * the name gives the address back unchanged; and {@code @} and {@code .} need no escaping in URLs.
 * Addresses with characters that would need escaping are refused (Google never issues them). See
 * {@link io.ganymede.hub.auth.UsernameMapper}.
 *
 * <h2>Modes ({@code ganymede.auth.mode})</h2>
 * <ul>
 *   <li>{@code iap}: every request carries Google Cloud IAP's signed {@code x-goog-iap-jwt-assertion};
 *       a request filter calls {@link io.ganymede.hub.auth.iap.IapRequestAuthenticator#authenticate}
 *       (except for {@link io.ganymede.hub.auth.iap.IapRequestAuthenticator#isExempt} paths).
 *   <li>{@code oidc}: the hub's {@code /hub/login}, {@code /hub/oauth_callback} and
 *       {@code /hub/logout} use {@link io.ganymede.hub.auth.oidc.OidcCodeFlow}.
 *   <li>{@code dev}: any name is accepted; {@link io.ganymede.hub.auth.AuthStartupCheck} refuses to
 *       start unless the hub and the embedded proxy listen on loopback only.
 * </ul>
 *
 * <h2>Failures</h2>
 * {@link io.ganymede.hub.auth.AuthenticationFailedException} means "not signed in" (401 for API
 * calls; for a browser in OIDC mode, a redirect to {@code /hub/login}); {@link
 * io.ganymede.hub.auth.AccessDeniedException} means "signed in, but this hub does not admit you"
 * (403). Both messages are for the log.
 */
package io.ganymede.hub.auth;
