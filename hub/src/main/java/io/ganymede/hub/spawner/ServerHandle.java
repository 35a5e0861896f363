package io.ganymede.hub.spawner;

import java.util.Map;

/** A server a spawner started: who it belongs to and the state the spawner persisted for it. */
public record ServerHandle(String user, String serverName, Map<String, String> state) {}
