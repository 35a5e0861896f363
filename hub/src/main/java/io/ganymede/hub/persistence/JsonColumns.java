package io.ganymede.hub.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** Columns that hold JSON (user options, spawner state, route data, group properties, scope lists). */
public final class JsonColumns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

    private JsonColumns() {}

    public static String write(Map<String, ?> value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON-serializable: " + value, e);
        }
    }

    public static String writeList(List<String> value) {
        try {
            return JSON.writeValueAsString(value == null ? List.of() : value);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON-serializable: " + value, e);
        }
    }

    public static List<String> list(String json) {
        try {
            return JSON.readValue(json == null || json.isEmpty() ? "[]" : json, LIST);
        } catch (Exception e) {
            throw new IllegalStateException("corrupt JSON column: " + json, e);
        }
    }

    public static Map<String, Object> object(String json) {
        return read(json, OBJECT);
    }

    public static Map<String, String> strings(String json) {
        return read(json, STRINGS);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json == null || json.isEmpty() ? "{}" : json, type);
        } catch (Exception e) {
            throw new IllegalStateException("corrupt JSON column: " + json, e);
        }
    }
}
