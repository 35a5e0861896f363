/**
 * Accounting of server sessions (issue 22): every run of a server is recorded when it runs and
 * closed when it stops, with the user's groups, profile, GPUs, CPU and memory, so usage can be
 * reported per user, group or profile ({@code GET /hub/api/usage}) and quotas counted
 * ({@code fairuse}). Sessions open at a hub restart stay open until their server stops.
 */
package io.ganymede.hub.usage;
