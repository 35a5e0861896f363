package io.ganymede.hub.spawn;

import java.util.Map;

/**
 * A rule a start must pass once its spec is known (the storage limits), beside the profile's own
 * checks. Beans implementing it are asked in turn; a refusal is an {@code ApiException} with the
 * status and the reason, before anything is created.
 */
public interface StartCheck {

    void check(String user, String serverName, Map<String, Object> spec);
}
