package io.ganymede.hub.api;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

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
     * JupyterHub 6.0's "safe slug": 1 to 30 lowercase ASCII letters, digits and single hyphens,
     * starting with a letter and ending with a letter or digit. Such a name is a DNS label and a
     * URL segment as it is, so pods, claims and routes never need a hashed slug for it.
     */
    private static final Pattern SAFE_SLUG = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** The longest name {@link #SAFE_SLUG} allows. */
    public static final int NEW_SERVER_NAME_LENGTH = 30;

    /**
     * A name for a server that does not exist yet, by JupyterHub 6.0's rule; servers named
     * before keep their names ({@link #serverName}).
     *
     * @throws ApiException 400 otherwise
     */
    public static String newServerName(String name) {
        if (name.length() > NEW_SERVER_NAME_LENGTH || !SAFE_SLUG.matcher(name).matches()) {
            throw ApiException.badRequest("Invalid server_name: " + name + " (1-" + NEW_SERVER_NAME_LENGTH
                    + " lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit)");
        }
        return name;
    }

    /**
     * A display name by JupyterHub 6.0's rule, NFC-normalized: 1 to 255 printable characters
     * (letters, marks, numbers, punctuation, symbols) and single inner spaces.
     *
     * @throws ApiException 400 otherwise
     */
    public static String displayName(String name) {
        String normalized = Normalizer.normalize(name, Normalizer.Form.NFC);
        int length = normalized.codePointCount(0, normalized.length());
        boolean valid = length >= 1 && length <= ServerEntity.NAME_LENGTH && !normalized.startsWith(" ")
                && !normalized.endsWith(" ") && !normalized.contains("  ")
                && normalized.codePoints().allMatch(c -> c == ' ' || printable(c));
        if (!valid) {
            throw ApiException.badRequest("Invalid display_name: " + name);
        }
        return normalized;
    }

    /** Python's categories L*, M*, N*, P* and S*: not separators, controls, format, surrogates or unassigned. */
    private static boolean printable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.CONTROL,
                    Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }

    /**
     * The rule for names recorded before JupyterHub 6.0's (and for schedules, which may name
     * one): JupyterHub 5's, any name without {@code /} (a name is one URL path segment), here also
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
