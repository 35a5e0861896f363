package io.ganymede.hub.usage;

import java.util.Locale;

/** Why a server stopped, as usage records it. */
public enum StopReason {
    /** Its owner stopped it. */
    USER,
    /** Someone else with the right stopped it (an admin, a service), or deleted its user. */
    ADMIN,
    /** The idle culler. */
    CULLER,
    /** The culler's max age. */
    MAX_AGE,
    /** It failed to start, or went away on its own. */
    FAILURE,
    /** Its group's quota ran out (ganymede.fair-use.stop-at-quota-end). */
    QUOTA,
    /** The hub stopped its servers as it shut down. */
    SHUTDOWN;

    /** How the API and the database spell it: {@code max_age}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
