package io.ganymede.hub.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Full URLs people use, built on {@code ganymede.hub.public-url} as JupyterHub builds them on its
 * {@code public_url}; without it there are none (JupyterHub's {@code full_url} is null then).
 */
@ApplicationScoped
public class PublicUrls {

    private final Optional<String> origin;

    PublicUrls(HubConfig config) {
        this.origin = config.hub().publicUrl().map(u -> u.replaceAll("/+$", ""));
    }

    /** The public URL of an absolute path ({@code /user/alice/}), if the public URL is configured. */
    public Optional<String> of(String path) {
        return origin.map(o -> o + path);
    }
}
