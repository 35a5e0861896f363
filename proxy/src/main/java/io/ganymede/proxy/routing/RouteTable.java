package io.ganymede.proxy.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing table: a trie keyed by path segment, so finding the longest matching prefix costs one
 * map lookup per segment of the request path, however many routes there are.
 *
 * <p>Every event loop reads it at once without locking; writes (from the REST API) are serialised.
 */
public final class RouteTable {

    private static final class Node {
        volatile Route route;
        volatile Map<String, Node> children;

        Node child(String segment) {
            Map<String, Node> map = children;
            return map == null ? null : map.get(segment);
        }
    }

    private final Node root = new Node();
    private final Map<String, Route> byPath = new ConcurrentHashMap<>();

    /**
     * Adds or replaces the route at {@code path}; {@code data} must hold a string "target" URL.
     *
     * @throws IllegalArgumentException with a message fit for an API client when data is invalid
     */
    public Route add(String path, ObjectNode data) {
        if (!RoutePath.isAbsolute(path)) {
            throw new IllegalArgumentException("route path must be absolute, without '.' or '..' segments: " + path);
        }
        Route route = new Route(path, data, System.currentTimeMillis());
        synchronized (this) {
            Node node = root;
            for (String segment : RoutePath.segments(route.path())) {
                Node next = node.child(segment);
                if (next == null) {
                    next = new Node();
                    if (node.children == null) {
                        node.children = new ConcurrentHashMap<>(4);
                    }
                    node.children.put(segment, next);
                }
                node = next;
            }
            node.route = route;
            byPath.put(route.path(), route);
        }
        return route;
    }

    /** Removes the route at exactly {@code path}, returning it, or null if there was none. */
    public synchronized Route remove(String path) {
        String cleaned = RoutePath.clean(path);
        Route removed = byPath.remove(cleaned);
        if (removed == null) {
            return null;
        }
        List<String> segments = RoutePath.segments(cleaned);
        List<Node> trail = new ArrayList<>(segments.size() + 1);
        Node node = root;
        trail.add(node);
        for (String segment : segments) {
            node = node.child(segment);
            trail.add(node);
        }
        node.route = null;
        // Prune branches left with neither a route nor children, so removed users cost nothing.
        for (int i = segments.size(); i > 0; i--) {
            Node n = trail.get(i);
            if (n.route != null || (n.children != null && !n.children.isEmpty())) {
                break;
            }
            trail.get(i - 1).children.remove(segments.get(i - 1));
        }
        return removed;
    }

    /** The route at exactly {@code path} (trailing slashes ignored), or null. */
    public Route get(String path) {
        return byPath.get(RoutePath.clean(path));
    }

    /** The route with the longest prefix of the decoded request path, or null if none matches. */
    public Route match(String path) {
        Node node = root;
        Route best = node.route;
        int n = path.length();
        int i = 0;
        while (i < n && path.charAt(i) == '/') {
            i++;
        }
        int end = n;
        while (end > i && path.charAt(end - 1) == '/') {
            end--;
        }
        while (i < end) {
            int slash = path.indexOf('/', i);
            int segmentEnd = slash < 0 || slash > end ? end : slash;
            node = node.child(path.substring(i, segmentEnd));
            if (node == null) {
                break;
            }
            Route here = node.route;
            if (here != null) {
                best = here;
            }
            i = segmentEnd + 1;
        }
        return best;
    }

    /** A snapshot of all routes, by path. */
    public Map<String, Route> all() {
        return Map.copyOf(byPath);
    }

    public int size() {
        return byPath.size();
    }
}
