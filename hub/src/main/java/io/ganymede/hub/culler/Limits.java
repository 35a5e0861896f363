package io.ganymede.hub.culler;

import java.time.Duration;

/**
 * The limits that apply to one server. A zero (or null) duration turns that limit off.
 *
 * @param timeout inactivity after which the server is stopped
 * @param maxAge age after which it is stopped regardless of activity
 */
public record Limits(Duration timeout, Duration maxAge) {

    public static final Limits NONE = new Limits(Duration.ZERO, Duration.ZERO);

    public Limits {
        timeout = timeout == null || timeout.isNegative() ? Duration.ZERO : timeout;
        maxAge = maxAge == null || maxAge.isNegative() ? Duration.ZERO : maxAge;
    }

    public boolean idleCulling() {
        return !timeout.isZero();
    }

    public boolean ageCulling() {
        return !maxAge.isZero();
    }

    /** The more lenient of two limits: off beats any value, longer beats shorter. */
    static Duration lenient(Duration a, Duration b) {
        if (a.isZero() || b.isZero()) {
            return Duration.ZERO;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}
