package io.ganymede.hub.spawn;

/** A start that failed for a reason the user should read. */
public class SpawnFailure extends RuntimeException {

    public SpawnFailure(String message) {
        super(message);
    }

    public SpawnFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
