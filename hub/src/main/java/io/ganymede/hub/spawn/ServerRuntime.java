package io.ganymede.hub.spawn;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the hub knows of one server beyond the database: whether a start or stop is in flight,
 * and the progress events of the current start, replayed to every progress stream that joins.
 */
public final class ServerRuntime {

    /** JupyterHub's {@code pending}: {@code spawn}, {@code stop} or null. */
    private volatile String pending;
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final List<MultiEmitter<? super Map<String, Object>>> listeners = new ArrayList<>();
    private boolean finished;
    /** Cancels the start in flight, if any. */
    volatile Runnable cancel = () -> {};

    public String pending() {
        return pending;
    }

    public void pending(String value) {
        pending = value;
    }

    /** A new start: earlier events are forgotten. */
    public synchronized void reset() {
        events.clear();
        finished = false;
    }

    /** A step of the start (0-99), for people watching. */
    public void progress(int progress, String message) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("progress", progress);
        event.put("message", message);
        emit(event, false);
    }

    /** The last event of a start that succeeded: the server answers at {@code url}. */
    public void ready(String url) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("progress", 100);
        event.put("ready", true);
        event.put("message", "Server ready at " + url);
        event.put("html_message", "Server ready at <a href=\"" + url + "\">" + url + "</a>");
        event.put("url", url);
        emit(event, true);
    }

    /** The last event of a start that failed. */
    public void failed(String message) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("progress", 100);
        event.put("failed", true);
        event.put("message", message);
        emit(event, true);
    }

    synchronized void emit(Map<String, Object> event, boolean last) {
        events.add(event);
        // A copy: completing a stream runs its termination callback at once, which leaves the list.
        for (var listener : List.copyOf(listeners)) {
            listener.emit(event);
            if (last) {
                listener.complete();
            }
        }
        if (last) {
            finished = true;
            listeners.clear();
        }
    }

    /** The events so far, then the rest as they come, ending after the final one. */
    public Multi<Map<String, Object>> events() {
        return Multi.createFrom().emitter(emitter -> {
            synchronized (this) {
                events.forEach(emitter::emit);
                if (finished) {
                    emitter.complete();
                } else {
                    listeners.add(emitter);
                    emitter.onTermination(() -> {
                        synchronized (this) {
                            listeners.remove(emitter);
                        }
                    });
                }
            }
        });
    }
}
