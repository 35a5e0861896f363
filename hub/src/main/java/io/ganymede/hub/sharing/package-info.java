/**
 * Sharing a server (JupyterHub 5.0): its owner grants a user or a group scopes on that one server
 * ({@link io.ganymede.hub.sharing.Shares}), directly or through an expiring code the recipient
 * exchanges on the accept page ({@link io.ganymede.hub.sharing.ShareCodes}).
 *
 * <p>Every scope a share holds carries the server's {@code !server=owner/name} filter
 * ({@link io.ganymede.hub.sharing.ShareScopes}), so a share never reaches beyond its server. The
 * recipient's permissions are computed at each request from the shares that exist then
 * ({@code auth.Identities}): the single-user server asks the hub who its visitor is at each OAuth
 * check, so a revoked share ends access there without touching any token.
 */
package io.ganymede.hub.sharing;
