package io.ganymede.hub.auth.oidc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Logins that were sent to the provider and have not come back yet, keyed by their {@code state}.
 *
 * <p>Kept in memory, like JupyterHub's own OAuth state, because the hub runs as one process. Each
 * entry is used once and expires; the map is bounded so that unfinished logins, which anyone can
 * start, cannot exhaust memory (the oldest is dropped first).
 */
final class PendingLogins {

    /** What the callback needs to finish a login. */
    record Pending(String nonce, String codeVerifier, String next, Instant expiresAt) {}

    private final Map<String, Pending> byState = new LinkedHashMap<>();
    private final Duration timeout;
    private final int capacity;
    private final Clock clock;

    PendingLogins(Duration timeout, int capacity, Clock clock) {
        this.timeout = timeout;
        this.capacity = capacity;
        this.clock = clock;
    }

    synchronized void add(String state, String nonce, String codeVerifier, String next) {
        dropExpired();
        while (byState.size() >= capacity) {
            Iterator<String> oldest = byState.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byState.put(state, new Pending(nonce, codeVerifier, next, clock.instant().plus(timeout)));
    }

    /** Removes and returns the login for {@code state}, if it exists and has not expired. */
    synchronized Optional<Pending> take(String state) {
        Pending pending = state == null ? null : byState.remove(state);
        if (pending == null || !clock.instant().isBefore(pending.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(pending);
    }

    synchronized int size() {
        return byState.size();
    }

    private void dropExpired() {
        Instant now = clock.instant();
        byState.values().removeIf(p -> !now.isBefore(p.expiresAt()));
    }
}
