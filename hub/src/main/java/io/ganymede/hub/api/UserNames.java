package io.ganymede.hub.api;

import io.ganymede.hub.persistence.UserEntity;
import java.util.Locale;

/** Valid user and server names, normalized as JupyterHub's default authenticator does. */
public final class UserNames {

    private UserNames() {}

    /** Lowercased and checked: names appear in URLs and file names, so some characters never fit. */
    public static String normalize(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("Invalid username: empty");
        }
        String normalized = name.strip().toLowerCase(Locale.ROOT);
        Lengths.check("username", normalized, UserEntity.NAME_LENGTH);
        if (normalized.contains("/") || normalized.chars().anyMatch(Character::isISOControl)
                || normalized.equals(".") || normalized.equals("..")) {
            throw ApiException.badRequest("Invalid username: " + name);
        }
        return normalized;
    }

    /**
     * JupyterHub 5's rule: any name without {@code /} (a name is one URL path segment), here also
     * without control characters and within the column's 255 characters. Names are escaped
     * wherever they are used ({@code io.ganymede.hub.spawn.Urls}, the spawners' slugs).
     */
    public static String serverName(String name) {
        if (name.contains("/")) {
            throw ApiException.badRequest("Invalid server_name (may not contain '/'): " + name);
        }
        if (name.isBlank() || name.length() > 255 || name.chars().anyMatch(Character::isISOControl)
                || name.equals(".") || name.equals("..")) {
            throw ApiException.badRequest("Invalid server_name: " + name);
        }
        return name;
    }
}
