package io.ganymede.hub.culler;

import io.ganymede.hub.api.ApiModels;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a user is told about the culler, as events of {@code GET /hub/api/users/{name}/notifications}:
 * {@code cull_warning} when a server enters the warning window (again each time its {@code cull_at}
 * moves), {@code cull_cancelled} when activity takes it out, {@code culled} when it is stopped.
 * A new listener first gets the warnings in force. In memory, per hub replica: the warnings of the
 * leader's passes, which is where the culling happens.
 */
@ApplicationScoped
public class CullNotices {

    private final Map<String, List<MultiEmitter<? super Map<String, Object>>>> listeners = new ConcurrentHashMap<>();
    /** user -> server name -> the warning in force. */
    private final Map<String, Map<String, Map<String, Object>>> warnings = new ConcurrentHashMap<>();

    /** The user's events: the current warnings, then new events as they come; never ends by itself. */
    public Multi<Map<String, Object>> events(String user) {
        return Multi.createFrom().emitter(emitter -> {
            List<MultiEmitter<? super Map<String, Object>>> mine = listeners.computeIfAbsent(user, k -> new CopyOnWriteArrayList<>());
            synchronized (this) {
                warnings.getOrDefault(user, Map.of()).values().forEach(emitter::emit);
                mine.add(emitter);
            }
            emitter.onTermination(() -> mine.remove(emitter));
        });
    }

    synchronized void warn(String user, String server, Instant cullAt, String reason) {
        Map<String, Object> current = warnings.getOrDefault(user, Map.of()).get(server);
        String at = ApiModels.iso(cullAt);
        if (current != null && at.equals(current.get("cull_at"))) {
            return;
        }
        Map<String, Object> event = event("cull_warning", server);
        event.put("cull_at", at);
        event.put("reason", reason);
        event.put("message", label(user, server) + " will be stopped at " + at + switch (reason) {
            case "max_age" -> ", when it reaches its maximum age.";
            case "quota" -> ", when its group's GPU-hours run out.";
            default -> " unless it is used. Keep it alive to postpone.";
        });
        warnings.computeIfAbsent(user, k -> new ConcurrentHashMap<>()).put(server, event);
        send(user, event);
    }

    synchronized void clear(String user, String server) {
        Map<String, Map<String, Object>> mine = warnings.get(user);
        if (mine != null && mine.remove(server) != null) {
            Map<String, Object> event = event("cull_cancelled", server);
            event.put("message", label(user, server) + " is in use again and will not be stopped now.");
            send(user, event);
        }
    }

    synchronized void culled(String user, String server, String reason) {
        Map<String, Map<String, Object>> mine = warnings.get(user);
        if (mine != null) {
            mine.remove(server);
        }
        Map<String, Object> event = event("culled", server);
        event.put("reason", reason);
        event.put("message", label(user, server) + switch (reason) {
            case "max_age" -> " was stopped: it reached its maximum age.";
            case "quota" -> " was stopped: its group's GPU-hours ran out.";
            default -> " was stopped after being idle.";
        });
        send(user, event);
    }

    /** Forgets warnings of servers no longer running (stopped by hand, by another replica...). */
    synchronized void retain(Map<String, ? extends java.util.Set<String>> runningByUser) {
        warnings.entrySet().removeIf(e -> {
            var running = runningByUser.get(e.getKey());
            e.getValue().keySet().removeIf(server -> running == null || !running.contains(server));
            return e.getValue().isEmpty();
        });
    }

    private void send(String user, Map<String, Object> event) {
        for (var emitter : new ArrayList<>(listeners.getOrDefault(user, List.of()))) {
            emitter.emit(event);
        }
    }

    private static Map<String, Object> event(String type, String server) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("server_name", server);
        return event;
    }

    private static String label(String user, String server) {
        return server.isEmpty() ? "Your server" : "Your server " + server;
    }
}
