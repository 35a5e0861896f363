package io.ganymede.hub.spawner;

/**
 * The answer to {@link Spawner#poll}: running, or gone with an exit status and a reason a user
 * can read ("pod deleted", "process exited with status 1").
 */
public record PollResult(boolean running, Integer exitStatus, String reason) {

    public static PollResult isRunning() {
        return new PollResult(true, null, null);
    }

    public static PollResult stopped(Integer exitStatus, String reason) {
        return new PollResult(false, exitStatus, reason);
    }
}
