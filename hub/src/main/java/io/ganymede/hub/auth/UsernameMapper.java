package io.ganymede.hub.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a verified email address into a JupyterHub user name, and back.
 *
 * <p>The rule: <b>the user name is the full email address, lower-cased</b>
 * ({@code Alice.Smith@Example.COM} becomes {@code alice.smith@example.com}).
 *
 * <ul>
 *   <li><b>Collision-free across domains</b>: the domain stays in the name, so {@code alice@a.com}
 *       and {@code alice@b.com} are two users. Keeping only the local part would merge them.
 *   <li><b>Reversible</b>: {@link #toEmail} gives the address back (lower-cased). Case is folded on
 *       purpose: Google and practically every provider treat addresses case-insensitively, so
 *       {@code Alice@x.com} and {@code alice@x.com} are one account and must be one user; and
 *       JupyterHub lower-cases names by default.
 *   <li><b>Plain</b>: only {@code a-z 0-9 . _ + ' -} in the local part, {@code a-z 0-9 . -} in
 *       the domain, and the single {@code @} are admitted. Anything else (quoted local parts,
 *       {@code /}, {@code %}, {@code ?}, {@code #}, non-ASCII) is refused: Google accounts never
 *       contain such characters. The name is escaped where it is used, as JupyterHub escapes it
 *       ({@code '} and {@code +} in URLs, {@code @} too in client ids: see
 *       {@code io.ganymede.hub.spawn.Urls}).
 * </ul>
 *
 * <p>Pod and volume names are derived from the user name by the spawner's own safe-slug scheme, so
 * {@code @} and {@code .} need no special care here.
 */
public final class UsernameMapper {

    private static final Pattern EMAIL =
            Pattern.compile("[a-z0-9._+'-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*");
    // At least one letter or digit, so that a claim of "." or ".." cannot become a path segment
    // that walks up from /user/.
    private static final Pattern NAME = Pattern.compile("[a-z0-9._+'@-]*[a-z0-9][a-z0-9._+'@-]*");
    // RFC 5321's limit on a whole address; longer names would only be typos or attacks.
    private static final int MAX_LENGTH = 254;

    private UsernameMapper() {}

    /**
     * The user name for a verified email address.
     *
     * @throws IllegalArgumentException if the address has characters the rule does not admit
     */
    public static String toUsername(String email) {
        String name = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (name.length() > MAX_LENGTH || !EMAIL.matcher(name).matches()) {
            throw new IllegalArgumentException("not a mappable email address: " + printable(email));
        }
        return name;
    }

    /**
     * The email address a user name was made from, or empty when the name was not made by
     * {@link #toUsername} (a name created through the API, such as {@code alice}).
     */
    public static Optional<String> toEmail(String username) {
        if (username == null || username.length() > MAX_LENGTH || !EMAIL.matcher(username).matches()) {
            return Optional.empty();
        }
        return Optional.of(username);
    }

    /**
     * A user name from a provider claim that is not an email (for example Keycloak's
     * {@code preferred_username}): lower-cased, with the same URL-safe characters as above.
     *
     * @throws IllegalArgumentException if the value has characters the rule does not admit
     */
    public static String fromClaim(String value) {
        String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (name.length() > MAX_LENGTH || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid user name: " + printable(value));
        }
        return name;
    }

    /** Email domain of a mapped name or address, lower-cased; empty if there is none. */
    public static Optional<String> domainOf(String emailOrName) {
        if (emailOrName == null) {
            return Optional.empty();
        }
        int at = emailOrName.lastIndexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(emailOrName.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    // Keeps log lines readable and bounded when the input is hostile.
    private static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
