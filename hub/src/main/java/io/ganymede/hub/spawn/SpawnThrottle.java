package io.ganymede.hub.spawn;

import io.ganymede.hub.api.ApiException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The answer to a start over {@code concurrent-spawn-limit}, as JupyterHub's
 * {@code spawn_single_user} gives it: a 429 whose {@code Retry-After} is a random number of seconds
 * within {@code spawn-throttle-retry-range} (so a refused crowd does not come back all at once),
 * and a message with that time rounded for people.
 */
final class SpawnThrottle {

    private SpawnThrottle() {}

    static ApiException refusal(List<Integer> retryRange) {
        int min = retryRange.get(0);
        int max = retryRange.size() > 1 ? Math.max(min, retryRange.get(1)) : min;
        int retryAfter = min + ThreadLocalRandom.current().nextInt(max - min + 1);
        return new ApiException(429, "Too many users trying to log in right now. Try again in " + human(retryAfter) + ".")
                .withHeader("Retry-After", String.valueOf(retryAfter));
    }

    /** JupyterHub's rounding: up to 90 s to the next ten seconds, beyond that to whole minutes. */
    static String human(int seconds) {
        if (seconds <= 90) {
            return (int) Math.ceil(seconds / 10.0) + "0 seconds";
        }
        return Math.round(seconds / 60.0) + " minutes";
    }
}
