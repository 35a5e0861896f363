package io.ganymede.hub.api;

/**
 * Text the hub stores, checked against its column before it reaches the database: a value too long
 * is the caller's mistake (a 400 naming the field and the limit), not a failed insert. The limits
 * are the entities' constants ({@code UserEntity.NAME_LENGTH}, {@code TokenEntity.NOTE_LENGTH},
 * ...), which the {@code @Column} lengths use too.
 */
public final class Lengths {

    private Lengths() {}

    /**
     * {@code value} if it has at most {@code max} characters, null included. Characters are counted
     * as Java and H2 count them, in UTF-16 units; PostgreSQL counts code points, never more, so a
     * value that passes fits both.
     *
     * @throws ApiException 400 otherwise
     */
    public static String check(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ApiException.badRequest(field + " is too long: " + value.length() + " characters, at most " + max);
        }
        return value;
    }
}
