package io.ganymede.hub.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An API error with JupyterHub's shape: {@code {"status": 400, "message": "..."}}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, Object> details;
    /** Headers the answer carries besides the body, e.g. {@code Retry-After} with a 429. */
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    /** With more keys beside status and message (a quota's used and allowed numbers). */
    public ApiException(int status, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.details = details;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> details() {
        return details;
    }

    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
