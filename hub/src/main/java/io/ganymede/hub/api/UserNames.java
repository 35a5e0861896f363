package io.ganymede.hub.api;

import io.ganymede.hub.persistence.UserEntity;
import java.util.Locale;
import java.util.regex.Pattern;

/** Valid user and server names, normalized as JupyterHub's default authenticator does. */
public final class UserNames {

    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

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

    public static String serverName(String name) {
        if (!SERVER_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Invalid server_name: " + name);
        }
        return name;
    }
}
