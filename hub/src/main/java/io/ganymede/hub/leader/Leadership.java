package io.ganymede.hub.leader;

/**
 * Whether this hub replica runs the duties only one replica may run at a time: the culler,
 * scheduled starts, reconciliation of servers and route repair. Every replica serves the API.
 */
public interface Leadership {

    /** True while this replica holds the leadership; may change at any time. */
    boolean isLeader();
}
