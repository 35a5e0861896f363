package io.ganymede.hub.culler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ganymede.culler.*}: the built-in idle culler, with z2jh's {@code cull} defaults. Plain
 * numbers are seconds, as in z2jh ({@code timeout: 3600}); {@code 10m} style works too.
 */
@ConfigMapping(prefix = "ganymede.culler")
public interface CullerConfig {

    /** Whether the hub culls at all (z2jh {@code cull.enabled}). */
    @WithDefault("true")
    boolean enabled();

    /** Inactivity after which a server is stopped (z2jh {@code cull.timeout}); 0 turns idle culling off. */
    @WithDefault("3600s")
    Duration timeout();

    /** How often the culler looks (z2jh {@code cull.every}). */
    @WithDefault("600s")
    Duration every();

    /** Age after which a server is stopped regardless of activity (z2jh {@code cull.maxAge}); 0: off. */
    @WithDefault("0s")
    Duration maxAge();

    /** Also delete users who have been inactive for {@code timeout} and run nothing (z2jh {@code cull.users}). */
    @WithDefault("false")
    boolean users();

    /** Delete culled named servers instead of only stopping them (z2jh {@code cull.removeNamedServers}). */
    @WithDefault("false")
    boolean removeNamedServers();

    /** Stops (and /api/status reads) in flight at once (z2jh {@code cull.concurrency}). */
    @WithDefault("10")
    int concurrency();

    /** Never cull admins' servers (z2jh's {@code cull.adminUsers: false}). */
    @WithDefault("false")
    boolean exemptAdmins();

    /** How long before a server is stopped its user is warned (cull_warning, notifications). */
    @WithDefault("10m")
    Duration warning();

    /** Read Jupyter servers' own {@code /api/status} before warning or culling them (see package doc). */
    @WithDefault("true")
    boolean apiStatus();

    /** Per-group overrides of timeout and max-age, e.g. {@code groups.long-jobs.timeout: 8h}. */
    Map<String, GroupPolicy> groups();

    /** A group's limits; absent keys keep what the profile or the hub says, 0 turns a limit off. */
    interface GroupPolicy {
        Optional<Duration> timeout();

        Optional<Duration> maxAge();
    }
}
