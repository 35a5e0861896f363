package io.ganymede.proxy.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String path;
    private final int segmentCount;
    private final Target target;
    /**
     * The posted data minus "last_activity", as compact JSON bytes: a parsed tree costs several
     * times more per route, and only the REST API reads it back.
     */
    private final byte[] data;
    private final boolean stripPrefix;
    private final boolean rstudio;
    private final List<Map.Entry<String, String>> headers;
    private final String accessUrl;
    private final String accessCheckUrl;
    private volatile long lastActivity;

    Route(String path, ObjectNode data, long now) {
        this.path = RoutePath.clean(path);
        this.segmentCount = RoutePath.segments(this.path).size();
        JsonNode target = data.get("target");
        if (target == null || !target.isTextual()) {
            throw new IllegalArgumentException("Must specify 'target' as string");
        }
        this.target = Target.parse(target.asText());
        ObjectNode stored = data.deepCopy();
        stored.remove("last_activity");
        try {
            this.data = JSON.writeValueAsBytes(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("route data cannot be stored: " + e.getMessage());
        }
        this.rstudio = data.path("rstudio").asBoolean(false);
        this.stripPrefix = rstudio || data.path("strip_prefix").asBoolean(false);
        this.headers = parseHeaders(data.get("headers"));
        JsonNode access = data.get("access_url");
        this.accessUrl = access != null && access.isTextual() ? access.asText() : null;
        JsonNode check = data.get("access_check_url");
        this.accessCheckUrl = check != null && check.isTextual() && !check.asText().isEmpty() ? check.asText() : null;
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

    /**
     * Where to ask whether an API token may use this gated route (route data
     * {@code access_check_url}, the hub's check endpoint); null when such a route takes no tokens.
     */
    public String accessCheckUrl() {
        return accessCheckUrl;
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
        ObjectNode json;
        try {
            json = (ObjectNode) JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("route data written by this class no longer parses", e);
        }
        json.put("last_activity", iso(lastActivity));
        return json;
    }
}
