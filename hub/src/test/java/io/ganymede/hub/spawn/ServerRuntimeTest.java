package io.ganymede.hub.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerRuntimeTest {

    /** People watching a start while it ends: every stream gets the last event and ends, the start does not fail. */
    @Test
    void everyWatcherSeesTheEndOfAStart() {
        ServerRuntime runtime = new ServerRuntime();
        runtime.progress(10, "Requesting a pod");
        List<AssertSubscriber<Map<String, Object>>> watchers = List.of(
                runtime.events().subscribe().withSubscriber(AssertSubscriber.create(10)),
                runtime.events().subscribe().withSubscriber(AssertSubscriber.create(10)));

        runtime.ready("/user/alice@example.com/");

        for (AssertSubscriber<Map<String, Object>> watcher : watchers) {
            watcher.assertCompleted();
            assertEquals(2, watcher.getItems().size());
            assertEquals(true, watcher.getItems().get(1).get("ready"));
        }
        // One who comes later gets the whole story at once.
        AssertSubscriber<Map<String, Object>> late = runtime.events().subscribe().withSubscriber(AssertSubscriber.create(10));
        late.assertCompleted();
        assertTrue(late.getItems().get(0).get("message").toString().contains("pod"));
    }
}
