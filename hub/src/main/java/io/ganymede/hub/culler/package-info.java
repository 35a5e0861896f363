/**
 * The built-in idle culler (what z2jh runs as jupyterhub-idle-culler, inside the hub).
 *
 * <h2>The rule</h2>
 * {@link io.ganymede.hub.culler.IdleRule}, a pure function: servers with a start or stop in flight
 * and servers not running are skipped; a server is idle when {@code now - activity >= timeout}
 * (activity falling back to the start time); {@code max_age} stops it by age whatever its
 * activity. {@code cull_at} is the earlier of the two deadlines; the warning window is the
 * {@code warning} period before it.
 *
 * <h2>Limits</h2>
 * {@link io.ganymede.hub.culler.PolicyResolver}: {@code ganymede.culler.timeout/max-age}, then the
 * profile's {@code cull} block in profiles.yaml, then {@code ganymede.culler.groups.<group>} (the
 * most lenient of the user's groups wins); 0 turns a limit off; {@code exempt-admins} removes all
 * limits for admins.
 *
 * <h2>Activity: three sources, one decision</h2>
 * <ul>
 * <li><b>Proxy traffic</b>: every request and WebSocket frame on the server's route. The route
 * check copies it into {@code servers.last_activity} every {@code ganymede.proxy.check-interval};
 * each pass asks the proxy only for the routes idle since the earliest deadline could fall
 * ({@code GET /api/routes?inactive_since=}), so its cost follows the idle routes.</li>
 * <li><b>The server's own reports</b>: posts to {@code /hub/api/users/{name}/activity} made with
 * the server's own token (jupyterhub-singleuser does so every 5 minutes), kept apart in
 * {@code servers.reported_activity}.</li>
 * <li><b>Jupyter's {@code GET {prefix}api/status}</b> ({@code last_activity}: kernels, terminals
 * and API calls), read with a server-scoped token only for Jupyter servers whose own reports say
 * they are idle, just before they would be warned or stopped; the answer is stored as a
 * report.</li>
 * </ul>
 * A Jupyter server that has reported during its current run is judged by its reports alone:
 * proxy traffic is ignored for it, because an open but unused browser tab keeps the proxy busy
 * with WebSocket pings and polling while no kernel or terminal does anything. Every other server
 * (RStudio, code-server, a Jupyter server that never reports) is judged by the newest activity
 * from any source. A "keep alive" from the user's page (the same activity post with the login
 * cookie) counts as a report for the first kind and as traffic for the second, so it always
 * postpones {@code cull_at}, never {@code max_age}, and never makes the culler ignore a
 * non-reporting server's real traffic.
 *
 * <h2>Running it</h2>
 * {@link io.ganymede.hub.culler.IdleCuller} runs a pass every {@code every} when
 * {@link io.ganymede.hub.leader.Leadership#isLeader()}; {@link io.ganymede.hub.culler.CullNotices}
 * carries warnings to {@code GET /hub/api/users/{name}/notifications};
 * {@link io.ganymede.hub.culler.CullForecast} gives the server model its {@code cull_at} and
 * {@code cull_warning}. The external jupyterhub-idle-culler keeps working beside it: it only uses
 * the public API.
 */
package io.ganymede.hub.culler;
