package io.ganymede.hub.spawner.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * KubeSpawner's "safe" slug scheme (its {@code slugs.py}), reproduced exactly so that pods and PVCs
 * get the same names as under KubeSpawner and existing disks carry over: a name that is already
 * valid is kept; otherwise it is lowercased, runs of other characters become one {@code -}, it is
 * cut short and {@code ---} plus 8 hex digits of its SHA-256 are appended.
 */
public final class Slugs {

    static final int HASH_LENGTH = 8;
    private static final Pattern OBJECT = Pattern.compile("^[a-z0-9-]+$");
    private static final Pattern LABEL = Pattern.compile("^[a-zA-Z0-9._-]+$");
    private static final Pattern NON_ALPHANUM = Pattern.compile("[^a-z0-9]+");

    private Slugs() {}

    /** A DNS label under both RFC 1035 and 1123: what KubeSpawner requires of object names. */
    public static boolean isValidObjectName(String s) {
        return !s.isEmpty() && s.length() <= 63 && isLowerLetter(s.charAt(0))
                && (isLowerLetter(s.charAt(s.length() - 1)) || isDigit(s.charAt(s.length() - 1)))
                && OBJECT.matcher(s).matches();
    }

    /** A valid label value (the empty string included). */
    public static boolean isValidLabel(String s) {
        if (s.isEmpty()) {
            return true;
        }
        return s.length() <= 63 && isAsciiAlnum(s.charAt(0)) && isAsciiAlnum(s.charAt(s.length() - 1))
                && LABEL.matcher(s).matches();
    }

    /** {@code safe_slug(name)}: object-name rules, 32 characters when hashing. */
    public static String safeSlug(String name) {
        return safeSlug(name, Slugs::isValidObjectName, null);
    }

    /** {@code safe_slug(name, is_valid=..., max_length=...)}; {@code maxLength} may be null. */
    public static String safeSlug(String name, Predicate<String> isValid, Integer maxLength) {
        int hashedLength = maxLength == null ? 32 : maxLength;
        if (name.contains("--")) {
            // '--' could collide with the {username}--{servername} join: always hash.
            return stripAndHash(name, hashedLength);
        }
        if (isValid.test(name) && (maxLength == null || name.length() <= maxLength)) {
            return name;
        }
        return stripAndHash(name, hashedLength);
    }

    static String stripAndHash(String name, int maxLength) {
        int nameLength = maxLength - (HASH_LENGTH + 3);
        if (nameLength < 1) {
            throw new IllegalArgumentException("Cannot make safe names shorter than " + (HASH_LENGTH + 4));
        }
        return extractSafeName(name, nameLength) + "---" + sha256(name.getBytes(StandardCharsets.UTF_8))
                .substring(0, HASH_LENGTH);
    }

    /** {@code multi_slug}: components joined by {@code --}, one hash over all (0xFF between them). */
    public static String multiSlug(List<String> names, int maxLength) {
        MessageDigest digest = sha256();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                // 0xFF never starts a UTF-8 sequence, so word boundaries cannot be faked.
                digest.update((byte) 0xFF);
            }
            digest.update(names.get(i).getBytes(StandardCharsets.UTF_8));
        }
        String hash = HexFormat.of().formatHex(digest.digest()).substring(0, HASH_LENGTH);
        int perName = (maxLength - (HASH_LENGTH + 1)) / names.size();
        int nameMaxLength = perName - 2;
        if (nameMaxLength < 2) {
            throw new IllegalArgumentException("Not enough characters for " + names.size() + " names: " + maxLength);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append("--");
            }
            out.append(extractSafeName(names.get(i), nameMaxLength));
        }
        return out.append("---").append(hash).toString();
    }

    /**
     * Lowercase letters, digits and single hyphens; starts with a letter, ends with a letter or
     * digit, at most {@code maxLength}, never empty. Python's {@code str.lower()} and slicing work on
     * code points, so this does too.
     */
    static String extractSafeName(String name, int maxLength) {
        String safe = NON_ALPHANUM.matcher(pythonLower(name)).replaceAll("-");
        safe = stripLeading(safe);
        safe = stripTrailing(codePointPrefix(safe, maxLength));
        if (!safe.isEmpty() && !isLowerLetter(safe.charAt(0))) {
            safe = "x-" + codePointPrefix(safe, maxLength - 2);
        }
        return safe.isEmpty() ? "x" : safe;
    }

    /**
     * KubeSpawner's legacy {@code escape} scheme (before 7, {@code escapism.escape(name,
     * safe=a-z0-9, escape_char="-").lower()}): every other character becomes {@code -} and the hex
     * of its UTF-8 bytes, so {@code alice@example.com} is {@code alice-40example-2ecom}.
     */
    public static String escapeSlug(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(cp -> {
            if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
                out.appendCodePoint(cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    out.append('-').append(String.format("%02x", b & 0xff));
                }
            }
        });
        return pythonLower(out.toString());
    }

    private static String pythonLower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String codePointPrefix(String s, int n) {
        if (s.codePointCount(0, s.length()) <= n) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, Math.max(n, 0)));
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        return s.substring(i);
    }

    private static String stripTrailing(String s) {
        int i = s.length();
        while (i > 0 && s.charAt(i - 1) == '-') {
            i--;
        }
        return s.substring(0, i);
    }

    private static boolean isLowerLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiAlnum(char c) {
        return isLowerLetter(c) || isDigit(c) || (c >= 'A' && c <= 'Z');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
