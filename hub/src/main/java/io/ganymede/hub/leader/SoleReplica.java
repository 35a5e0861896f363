package io.ganymede.hub.leader;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** The embedded default: a single hub process is always the leader (a no-op lock). */
@ApplicationScoped
@DefaultBean
public class SoleReplica implements Leadership {

    @Override
    public boolean isLeader() {
        return true;
    }
}
