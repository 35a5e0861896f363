package io.ganymede.hub.api;

import java.util.Map;

/**
 * The body of a server's start ({@code POST}) or creation ({@code PUT}), as JupyterHub 6.0 reads
 * it: {@code {"display_name": ..., "user_options": {...}}}, or, as before 6.0, the whole body as
 * the user options. Clients written for 5.x (the idle culler, scripts posting
 * {@code {"profile": "gpu-t4"}}) keep working because a body with neither key is the old form.
 *
 * @param displayName the display name asked for, or null
 * @param userOptions the options asked for, or null: then a start reuses the server's last ones
 */
public record ServerRequest(String displayName, Map<String, Object> userOptions) {

    @SuppressWarnings("unchecked")
    public static ServerRequest parse(String body) {
        Map<String, Object> request = JsonBody.object(body);
        if (request.isEmpty()) {
            return new ServerRequest(null, null);
        }
        Object displayName = request.get("display_name");
        if (request.containsKey("display_name") && !(displayName instanceof String)) {
            throw ApiException.badRequest("display_name must be a string");
        }
        Object options = request.get("user_options");
        if (options != null && !(options instanceof Map)) {
            throw ApiException.badRequest("user_options must be an object or null");
        }
        if (!request.containsKey("display_name") && !request.containsKey("user_options")) {
            return new ServerRequest(null, request);
        }
        return new ServerRequest((String) displayName, (Map<String, Object>) options);
    }
}
