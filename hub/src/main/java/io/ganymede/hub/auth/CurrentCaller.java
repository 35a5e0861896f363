package io.ganymede.hub.auth;

import io.ganymede.hub.api.ApiException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The request's {@link Caller}, resolved once by {@link CallerFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Optional<Caller> get() {
        return Optional.ofNullable(caller);
    }

    /** The caller, or a 403 as JupyterHub answers unauthenticated API requests. */
    public Caller require() {
        if (caller == null) {
            throw new ApiException(403, "Missing or invalid credentials.");
        }
        return caller;
    }
}
