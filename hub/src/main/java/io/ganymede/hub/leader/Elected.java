package io.ganymede.hub.leader;

/**
 * Fired (asynchronously, as a CDI event) when this replica becomes the leader after another held
 * the Lease or none did: duties that catch up on what happened meanwhile observe it.
 */
public record Elected(String identity) {}
