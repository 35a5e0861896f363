package io.ganymede.proxy.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One entry of the routing table: its path, its parsed target, the data it was posted with (kept as
 * given, returned by the API) and when it last saw traffic.
 */
public final class Route {

    /**
     * Activity is written at most this often per route, so a busy WebSocket costs one volatile read
     * per frame and no cache-line ping-pong between event loops.
     */
    static final long ACTIVITY_RESOLUTION_MILLIS = 50;

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String path;
    private final int segmentCount;
    private final Target target;
    private final ObjectNode data;
    private final boolean stripPrefix;
    private final boolean rstudio;
    private final List<Map.Entry<String, String>> headers;
    private final String accessUrl;
    private volatile long lastActivity;

    Route(String path, ObjectNode data, long now) {
        this.path = RoutePath.clean(path);
        this.segmentCount = RoutePath.segments(this.path).size();
        JsonNode target = data.get("target");
        if (target == null || !target.isTextual()) {
            throw new IllegalArgumentException("Must specify 'target' as string");
        }
        this.target = Target.parse(target.asText());
        this.data = data.deepCopy();
        this.data.remove("last_activity");
        this.rstudio = data.path("rstudio").asBoolean(false);
        this.stripPrefix = rstudio || data.path("strip_prefix").asBoolean(false);
        this.headers = parseHeaders(data.get("headers"));
        JsonNode access = data.get("access_url");
        this.accessUrl = access != null && access.isTextual() ? access.asText() : null;
        this.lastActivity = now;
    }

    private static List<Map.Entry<String, String>> parseHeaders(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'headers' must be an object of header names to strings");
        }
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new IllegalArgumentException("header '" + field.getKey() + "' must be a string");
            }
            list.add(Map.entry(field.getKey(), field.getValue().asText()));
        }
        return List.copyOf(list);
    }

    /** Records traffic now; cheap enough to call for every body chunk and WebSocket frame. */
    public void touch() {
        long now = System.currentTimeMillis();
        if (now - lastActivity >= ACTIVITY_RESOLUTION_MILLIS) {
            lastActivity = now;
        }
    }

    public String path() {
        return path;
    }

    /** How many path segments the route's prefix has; what prefix stripping removes. */
    public int segmentCount() {
        return segmentCount;
    }

    public Target target() {
        return target;
    }

    public boolean stripPrefix() {
        return stripPrefix;
    }

    /**
     * Where to send a browser without a valid access token (route data {@code access_url}); null
     * for routes whose app checks users itself, as Jupyter servers do.
     */
    public String accessUrl() {
        return accessUrl;
    }

    public boolean rstudio() {
        return rstudio;
    }

    /** Extra request headers from the route's "headers" data key. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    public long lastActivityMillis() {
        return lastActivity;
    }

    public static String iso(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** The route's data as the API returns it: what was posted, plus "last_activity". */
    public ObjectNode toJson() {
        ObjectNode json = data.deepCopy();
        json.put("last_activity", iso(lastActivity));
        return json;
    }
}
