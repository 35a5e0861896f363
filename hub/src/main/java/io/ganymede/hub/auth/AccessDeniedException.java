package io.ganymede.hub.auth;

/**
 * The identity was verified but this hub's allow-lists do not admit it (wrong domain, not an
 * allowed user or group). The hub answers 403: signing in again as the same person cannot help.
 */
public class AccessDeniedException extends RuntimeException {

    private final String username;

    public AccessDeniedException(String username, String reason) {
        super(reason);
        this.username = username;
    }

    /** The name the refused identity would have had, for the log and the 403 page. */
    public String username() {
        return username;
    }
}
