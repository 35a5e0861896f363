package io.ganymede.hub.culler;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * When a pass that runs every {@code ganymede.culler.every} is due, for a one-second
 * {@code @Scheduled} tick: {@code every} is a Duration setting (a plain number is seconds, as in
 * z2jh), which {@code @Scheduled} cannot read. The first pass comes one period after creation.
 */
public final class Period {

    private final Supplier<Duration> every;
    private volatile long next;

    public Period(Supplier<Duration> every) {
        this.every = every;
        this.next = System.nanoTime() + every.get().toNanos();
    }

    /** Whether a pass is due now; if so, the next one is one period away. */
    public boolean due() {
        long now = System.nanoTime();
        if (now - next < 0) {
            return false;
        }
        next = now + every.get().toNanos();
        return true;
    }
}
