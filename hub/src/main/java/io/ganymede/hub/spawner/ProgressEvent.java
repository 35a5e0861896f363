package io.ganymede.hub.spawner;

/**
 * One event of JupyterHub's spawn progress stream ({@code {"progress": 40, "message": "..."}}).
 * Spawners report 0-99; the hub itself sends the final 100/ready or failed event.
 */
public record ProgressEvent(int progress, String message) {}
