/**
 * Sign-in: who a request or a login belongs to. What the browser or IAP presents becomes a
 * verified {@link io.ganymede.hub.auth.Identity}, or is refused; {@link io.ganymede.hub.auth.Accounts}
 * turns it into a user (admin flag, groups); {@link io.ganymede.hub.auth.CallerFilter} resolves
 * every request's {@link io.ganymede.hub.auth.Caller} (token, IAP identity or login cookie);
 * {@link io.ganymede.hub.auth.XsrfFilter} guards every form and every cookie- or IAP-authenticated
 * change; {@link io.ganymede.hub.auth.Sessions} owns the login cookie and logout.
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
 *       {@link io.ganymede.hub.auth.iap.IapGate}, a route handler in front of every hub route, calls
 *       {@link io.ganymede.hub.auth.iap.IapRequestAuthenticator#authenticate} (except for
 *       {@link io.ganymede.hub.auth.iap.IapRequestAuthenticator#isExempt} paths and requests that
 *       carry a valid hub API token, which work in every mode and then decide who the caller is;
 *       any other {@code Authorization} value, such as the Google ID token of IAP's programmatic
 *       access, leaves the decision to the assertion).
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
