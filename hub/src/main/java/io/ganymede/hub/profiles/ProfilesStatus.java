package io.ganymede.hub.profiles;

import java.time.Instant;
import java.util.List;

/**
 * What the admin API shows about profiles.yaml.
 *
 * @param path the file watched
 * @param builtIn true while no file was ever loaded and the built-in default profile is in force
 * @param profiles the profiles in force
 * @param lastGoodLoad when the version in force was loaded
 * @param sha256 content hash of the version in force (null for the built-in one)
 * @param lastRefusedAt when a version was last refused, or null
 * @param lastRefusedErrors that version's problems, {@code file:line:column: reason} each
 */
public record ProfilesStatus(
        String path,
        boolean builtIn,
        List<Profile> profiles,
        Instant lastGoodLoad,
        String sha256,
        Instant lastRefusedAt,
        List<String> lastRefusedErrors) {}
