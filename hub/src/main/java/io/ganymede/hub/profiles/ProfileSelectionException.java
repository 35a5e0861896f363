package io.ganymede.hub.profiles;

/**
 * A user's options do not select a usable profile: 400 for an unknown profile, choice or a bad
 * free-text value, 403 for a profile the user's groups may not use. The message is for the user.
 */
public class ProfileSelectionException extends RuntimeException {

    private final int status;

    public ProfileSelectionException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the API should answer with. */
    public int status() {
        return status;
    }

    static ProfileSelectionException badRequest(String message) {
        return new ProfileSelectionException(400, message);
    }

    static ProfileSelectionException forbidden(String message) {
        return new ProfileSelectionException(403, message);
    }
}
