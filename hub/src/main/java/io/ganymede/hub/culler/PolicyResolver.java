package io.ganymede.hub.culler;

import io.ganymede.hub.profiles.CullPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which limits apply to a server, most specific last: the hub's {@code ganymede.culler} settings,
 * then the profile's {@code cull} block in profiles.yaml, then the overrides of the user's groups
 * ({@code ganymede.culler.groups}). A user in several groups with overrides gets the most lenient
 * of them, limit by limit. Admins get no limits when {@code exempt-admins} is set. Pure.
 */
public final class PolicyResolver {

    private final boolean enabled;
    private final Limits hub;
    private final boolean exemptAdmins;
    private final Map<String, CullerConfig.GroupPolicy> groups;

    public PolicyResolver(boolean enabled, Limits hub, boolean exemptAdmins, Map<String, CullerConfig.GroupPolicy> groups) {
        this.enabled = enabled;
        this.hub = hub;
        this.exemptAdmins = exemptAdmins;
        this.groups = Map.copyOf(groups);
    }

    public static PolicyResolver of(CullerConfig config) {
        return new PolicyResolver(config.enabled(), new Limits(config.timeout(), config.maxAge()),
                config.exemptAdmins(), config.groups());
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean groupOverrides() {
        return !groups.isEmpty();
    }

    /** The limits for a server of a profile (null: none known) owned by a user with these groups. */
    public Limits limits(CullPolicy profile, Set<String> userGroups, boolean admin) {
        if (!enabled || (admin && exemptAdmins)) {
            return Limits.NONE;
        }
        Duration timeout = hub.timeout();
        Duration maxAge = hub.maxAge();
        if (profile != null) {
            timeout = profile.timeout() != null ? Duration.ofSeconds(profile.timeout()) : timeout;
            maxAge = profile.maxAge() != null ? Duration.ofSeconds(profile.maxAge()) : maxAge;
        }
        Duration groupTimeout = null;
        Duration groupMaxAge = null;
        for (String group : userGroups) {
            CullerConfig.GroupPolicy policy = groups.get(group);
            if (policy == null) {
                continue;
            }
            groupTimeout = combine(groupTimeout, policy.timeout());
            groupMaxAge = combine(groupMaxAge, policy.maxAge());
        }
        return new Limits(groupTimeout != null ? groupTimeout : timeout, groupMaxAge != null ? groupMaxAge : maxAge);
    }

    private static Duration combine(Duration sofar, Optional<Duration> next) {
        if (next.isEmpty()) {
            return sofar;
        }
        return sofar == null ? next.get() : Limits.lenient(sofar, next.get());
    }
}
