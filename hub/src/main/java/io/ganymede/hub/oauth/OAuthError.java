package io.ganymede.hub.oauth;

import io.ganymede.hub.api.ApiException;

/** An OAuth error; answered with the API's JSON error shape, {@code error} code included in the message. */
public class OAuthError extends ApiException {

    public OAuthError(int status, String error, String description) {
        super(status, error + ": " + description);
    }
}
