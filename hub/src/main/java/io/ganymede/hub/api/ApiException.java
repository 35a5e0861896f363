package io.ganymede.hub.api;

import java.util.Map;

/** An API error with JupyterHub's shape: {@code {"status": 400, "message": "..."}}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, Object> details;

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

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
