package io.ganymede.hub.auth;

/**
 * The request or login could not be tied to a verified identity (missing, forged, expired or
 * mis-addressed credentials). The hub answers 401. The message is a reason fit for the hub's log;
 * it names no secret and never echoes the token itself, but should not be shown to the browser
 * verbatim since it tells an attacker which check failed.
 */
public class AuthenticationFailedException extends RuntimeException {

    public AuthenticationFailedException(String reason) {
        super(reason);
    }

    public AuthenticationFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
