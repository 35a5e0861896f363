package io.ganymede.hub.profiles;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Free text a user may type instead of picking a listed choice; {@code {value}} in the override is
 * replaced by it after it passed {@code validationRegex} (matched at the start, as Python's
 * {@code re.match} does in KubeSpawner; anchor with {@code $} to match the whole value).
 */
public record UnlistedChoice(
        boolean enabled,
        String displayName,
        Pattern validationRegex,
        String validationMessage,
        Map<String, Object> override) {}
