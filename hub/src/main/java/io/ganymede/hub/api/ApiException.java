package io.ganymede.hub.api;

/** An API error with JupyterHub's shape: {@code {"status": 400, "message": "..."}}. */
public class ApiException extends RuntimeException {

    private final int status;
    /** Headers the answer carries besides the body, e.g. {@code Retry-After} with a 429. */
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public java.util.Map<String, String> headers() {
        return java.util.Collections.unmodifiableMap(headers);
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
