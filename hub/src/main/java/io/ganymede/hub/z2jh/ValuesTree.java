package io.ganymede.hub.z2jh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed values.yaml that remembers which keys were read, so that every key left unread can be
 * reported. Paths are dotted ({@code singleuser.cpu.limit}).
 */
final class ValuesTree {

    private final Map<String, Object> root;
    private final Set<String> read = new HashSet<>();

    ValuesTree(Map<String, Object> root) {
        this.root = root == null ? Map.of() : root;
    }

    /** The value at the path, marked read (with everything under it). */
    Optional<Object> take(String path) {
        Optional<Object> value = peek(path);
        value.ifPresent(v -> read.add(path));
        return value;
    }

    Optional<String> string(String path) {
        return take(path).map(String::valueOf);
    }

    @SuppressWarnings("unchecked")
    Optional<Map<String, Object>> map(String path) {
        return take(path).filter(Map.class::isInstance).map(v -> (Map<String, Object>) v);
    }

    /** The value without marking it read. */
    @SuppressWarnings("unchecked")
    Optional<Object> peek(String path) {
        Object node = root;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return Optional.empty();
            }
            node = ((Map<String, Object>) m).get(key);
        }
        return Optional.ofNullable(node);
    }

    /** Marks a path read without using it (its report line is written by the caller). */
    void consumed(String path) {
        read.add(path);
    }

    /** Every leaf (or empty map or list) not under a path that was read, in file order. */
    List<String> unread() {
        List<String> out = new ArrayList<>();
        walk("", root, out);
        return out;
    }

    private void walk(String path, Object node, List<String> out) {
        if (!path.isEmpty() && isRead(path)) {
            return;
        }
        if (node instanceof Map<?, ?> m && !m.isEmpty()) {
            m.forEach((k, v) -> walk(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, out));
        } else if (!path.isEmpty()) {
            out.add(path);
        }
    }

    private boolean isRead(String path) {
        for (String p = path; ; p = p.substring(0, p.lastIndexOf('.'))) {
            if (read.contains(p)) {
                return true;
            }
            if (p.indexOf('.') < 0) {
                return false;
            }
        }
    }
}
