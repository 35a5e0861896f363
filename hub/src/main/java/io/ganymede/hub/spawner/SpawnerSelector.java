package io.ganymede.hub.spawner;

import io.ganymede.hub.spawn.SpawnConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Picks the spawner named by {@code ganymede.spawner.kind} among the spawner beans. */
@ApplicationScoped
public class SpawnerSelector {

    private final Spawner selected;

    SpawnerSelector(Instance<Spawner> spawners, SpawnConfig config) {
        Spawner found = null;
        StringBuilder known = new StringBuilder();
        for (Spawner spawner : spawners) {
            known.append(' ').append(spawner.kind());
            if (spawner.kind().equals(config.kind())) {
                found = spawner;
            }
        }
        if (found == null) {
            throw new IllegalStateException("ganymede.spawner.kind=" + config.kind() + " is not one of:" + known);
        }
        selected = found;
    }

    public Spawner spawner() {
        return selected;
    }
}
