package io.ganymede.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganymede.hub.persistence.UserEntity;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads request bodies the way JupyterHub does, turning every malformed input into a 400. */
public final class JsonBody {

    /** As Python's json.loads: anything after the value is an error, not ignored. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {}

    /** The body as a JSON object; empty means {}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String body) {
        if (body == null || body.isBlank()) {
            return new LinkedHashMap<>();
        }
        Object parsed;
        try {
            parsed = JSON.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Invalid JSON in body of request: " + e.getOriginalMessage());
        }
        if (parsed == null) {
            return new LinkedHashMap<>();
        }
        if (!(parsed instanceof Map)) {
            throw ApiException.badRequest("Body must be a JSON dict or empty");
        }
        return (Map<String, Object>) parsed;
    }

    /** A list of strings under {@code key}, or null if absent. */
    public static List<String> strings(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw ApiException.badRequest(key + " must be null or a list of strings, not " + value);
        }
        return list.stream().map(String.class::cast).toList();
    }

    public static Boolean bool(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value != null && !(value instanceof Boolean)) {
            throw ApiException.badRequest(key + " must be true or false, not " + value);
        }
        return (Boolean) value;
    }

    /** An ISO 8601 time; one without a zone is taken as UTC, as JupyterHub does. */
    public static Instant time(Object value, String what) {
        if (!(value instanceof String text)) {
            throw ApiException.badRequest(what + " must be an ISO 8601 timestamp string, not " + value);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("Invalid timestamp for " + what + ": " + text);
            }
        }
    }

    public static UserEntity user(String name) {
        return UserEntity.findByName(name).orElseThrow(() -> ApiException.notFound("No such user: " + name));
    }
}
