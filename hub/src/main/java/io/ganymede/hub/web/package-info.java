/**
 * The pages under {@code /hub/}: server-rendered Qute templates ({@code resources/templates}) with
 * one stylesheet and one script ({@code resources/META-INF/resources/hub/static}, served at
 * {@code /hub/static/}); no front-end build.
 *
 * <ul>
 *   <li>{@link io.ganymede.hub.web.LoginResource}: {@code login} (dev form marked insecure; oidc
 *       button to {@code /hub/oauth_login}), {@code logout}.
 *   <li>{@link io.ganymede.hub.web.SpawnResource}: {@code spawn[/<user>[/<server>]]}, the profile
 *       picker built by {@link io.ganymede.hub.web.ProfileCards} (KubeSpawner's field names, so its
 *       pre-selecting links work; the last choice remembered), and {@code spawn-pending/...}, fed by
 *       the progress event stream.
 *   <li>{@link io.ganymede.hub.web.HomeResource}: {@code home} (servers from
 *       {@link io.ganymede.hub.web.ServerRows}, idle warnings, scheduled starts: their own through
 *       the API, their groups' rendered read-only) and the 503 page for
 *       {@code /hub/user/...} when a server is starting or gone.
 *   <li>{@link io.ganymede.hub.web.TokenPage}, {@link io.ganymede.hub.web.AdminPage}: read-only
 *       renders (the admin page's groups with their scheduled starts); every change goes through the
 *       REST API from the script. The schedule form and cells are the user tags
 *       {@code tags/scheduleForm.html} and {@code tags/scheduleCells.html}, shared by both pages.
 *   <li>{@link io.ganymede.hub.web.StoragePanel}: the Storage sections of {@code home} (the user's
 *       disks: size, fill or "unknown", a grow form, delete with a confirmation) and {@code admin}
 *       (every disk largest first, orphans, totals per storage class and group), made from the
 *       storage API's models; shown only where the spawner keeps disks.
 *   <li>{@link io.ganymede.hub.web.ServiceRows}: the Team apps section of {@code home} (the
 *       services the header's menu links, a managed app with its state and idle stop time) and the
 *       Services section of {@code admin} (every service the admin may read: kind, URL or state,
 *       who used it last, its last stop).
 *   <li>{@link io.ganymede.hub.web.ErrorPage}: {@code error/<code>} (the proxy's error target) and
 *       the HTML form of errors met by browsers outside the API.
 * </ul>
 *
 * <h2>Safety</h2>
 * Qute escapes every value in {@code .html} templates; nothing user-controlled is ever rendered
 * raw. Names inside URLs are escaped as path segments ({@code {name.seg}}). Form posts carry the
 * {@code _xsrf} field and the script sends {@code X-XSRFToken} (both equal to the {@code _xsrf}
 * cookie that {@link io.ganymede.hub.web.HtmlPages} sets on every page).
 */
package io.ganymede.hub.web;
