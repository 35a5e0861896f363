package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what a cluster or a hub does on its own time. */
final class Await {

    private Await() {}

    /** Polls every 200 ms until {@code condition} holds; fails with {@code what} after {@code timeout}. */
    static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(200);
        }
    }
}
