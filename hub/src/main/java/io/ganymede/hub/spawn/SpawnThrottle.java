package io.ganymede.hub.spawn;

import io.ganymede.hub.api.ApiException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The answer to a start over {@code concurrent-spawn-limit}, as JupyterHub's
 * {@code spawn_single_user} gives it: a 429 with a {@code Retry-After} picked at random (so a
 * refused crowd does not come back all at once) and a message with that time rounded for people.
 *
 * <p>JupyterHub picks the wait within {@code spawn-throttle-retry-range} (30-60 s), whatever its
 * starts take. With {@code spawn-throttle-adaptive} the wait follows how long starts take here
 * now: between half and all of the median of the last {@value #REMEMBERED} starts, at least one
 * second and at most the range's maximum. A place frees when a start ends, so that is when
 * asking again can succeed: with starts of 5 s, a class of 300 at the limit of 100 is in within
 * a few rounds of seconds, not of half-minutes. Until a start has ended (a hub just started), or
 * with the setting off, the range applies as in JupyterHub.
 */
final class SpawnThrottle {

    /** How many of the latest start times the estimate looks at. */
    static final int REMEMBERED = 50;

    private final List<Integer> retryRange;
    private final boolean adaptive;
    private final long[] recentMillis = new long[REMEMBERED];
    private int recorded;

    SpawnThrottle(List<Integer> retryRange, boolean adaptive) {
        this.retryRange = retryRange;
        this.adaptive = adaptive;
    }

    /** A start ended (ready or failed) after this long: its place is free again. */
    synchronized void ended(Duration took) {
        recentMillis[recorded++ % REMEMBERED] = took.toMillis();
    }

    ApiException refusal() {
        int max = retryRange.size() > 1 ? Math.max(retryRange.get(0), retryRange.get(1)) : retryRange.get(0);
        int min = retryRange.get(0);
        long median = adaptive ? medianMillis() : -1;
        if (median >= 0) {
            max = (int) Math.min(max, Math.max(1, Math.ceil(median / 1000.0)));
            min = Math.max(1, max / 2);
        }
        int retryAfter = min + ThreadLocalRandom.current().nextInt(max - min + 1);
        return new ApiException(429, "Too many users trying to log in right now. Try again in " + human(retryAfter) + ".")
                .withHeader("Retry-After", String.valueOf(retryAfter));
    }

    /** The median of the remembered start times, or -1 before any start ended. */
    private synchronized long medianMillis() {
        int n = Math.min(recorded, REMEMBERED);
        if (n == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(recentMillis, n);
        Arrays.sort(sorted);
        return sorted[n / 2];
    }

    /** JupyterHub's rounding: up to 90 s to the next ten seconds, beyond that to whole minutes. */
    static String human(int seconds) {
        if (seconds <= 90) {
            return (int) Math.ceil(seconds / 10.0) + "0 seconds";
        }
        return Math.round(seconds / 60.0) + " minutes";
    }
}
