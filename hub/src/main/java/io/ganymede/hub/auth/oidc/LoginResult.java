package io.ganymede.hub.auth.oidc;

import io.ganymede.hub.auth.Identity;

/**
 * A finished login.
 *
 * @param identity who signed in
 * @param next the hub-relative path the user wanted before signing in (always starts with a single
 *     {@code /}), or {@code null}: then send them to the hub's home page
 * @param idToken the raw ID token, to pass as {@code id_token_hint} to {@link OidcCodeFlow#logoutUrl}
 */
public record LoginResult(Identity identity, String next, String idToken) {}
