/**
 * Scheduled server starts (a Ganymede extension): {@code /hub/api/users/{name}/schedules} (a
 * user's own) and {@code /hub/api/groups/{name}/schedules} (every member's) hold 5-field Unix cron
 * expressions in IANA time zones, parsed by cron-utils
 * ({@link io.ganymede.hub.schedules.CronSchedule}), with the start's user options checked against
 * the profiles when the schedule is made. Both kinds are rows of one table, told apart by their
 * owner ({@link io.ganymede.hub.schedules.Schedules.Owner}). {@link io.ganymede.hub.schedules.ScheduledStarts},
 * on the leader only, starts what is due (never a server already running or starting), moves each
 * schedule to its next time first, and skips runs found more than {@code missed-grace} late, so
 * downtime never ends in a burst of starts. The culler stops scheduled servers like any other.
 */
package io.ganymede.hub.schedules;
