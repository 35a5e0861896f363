/**
 * Activity reports ({@code POST /hub/api/users/{name}/activity}) without a transaction each.
 *
 * <p>The API checks a report as before (unknown user 404, unknown server or bad time 400, scopes
 * 403/404) and hands the times to {@link io.ganymede.hub.activity.ActivityBuffer}, which keeps
 * the newest per user and per server and writes them every {@code ganymede.activity.flush-interval}
 * (1 s) in one transaction of batched {@code UPDATE ... WHERE last_activity IS NULL OR last_activity < ?},
 * and at shutdown before the datasource closes. Times only move forward, so the order in which
 * flushes, the route check's activity and other writers land does not matter.
 *
 * <p>Who sees pending activity:
 * <ul>
 * <li>The user and server models ({@code GET /hub/api/users...}, the admin and home pages) and
 * their {@code cull_at} merge it in: a client that posts activity and reads it back, such as the
 * home page's keep-alive followed by a refresh, must see its own write.</li>
 * <li>The culler flushes before each pass: a pass reads the servers in one query, and stopping a
 * server on a time one interval old could stop one that had just reported.</li>
 * <li>The {@code jupyterhub_active_users} gauges read the database and may be one interval
 * behind: they count whole days and are cached for 15 s anyway.</li>
 * </ul>
 * A report is tied to the run it arrived in: one received before the server's current run
 * started is not counted as that run's own report (a start clears them).
 */
package io.ganymede.hub.activity;
