package io.ganymede.hub.profiles;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The profiles in force and the one place the hub asks about them. A new version of the file
 * replaces the set atomically; spawns already resolved keep what they resolved, so running servers
 * are never touched. An invalid version is refused and the last good one stays.
 */
@ApplicationScoped
public class ProfileCatalog {

    private static final Logger LOG = Logger.getLogger(ProfileCatalog.class);

    /** The set in force with where it came from; replaced whole, never mutated. */
    private record InForce(ProfileSet set, boolean builtIn, Instant loadedAt, String sha256) {}

    /** The outcome of one {@link #reload()}. */
    public enum ReloadOutcome { UNCHANGED, APPLIED, REFUSED, MISSING }

    private final Path path;
    private final Clock clock;
    private volatile InForce inForce;
    private volatile Instant lastRefusedAt;
    private volatile List<String> lastRefusedErrors = List.of();
    private volatile String lastSeenSha256;

    @Inject
    public ProfileCatalog(ProfilesConfig config) {
        this(Path.of(config.path()), Clock.systemUTC());
    }

    /** For tests and tools: a catalog of one file, loaded at once. */
    public ProfileCatalog(Path path, Clock clock) {
        this.path = path.toAbsolutePath();
        this.clock = clock;
        this.inForce = new InForce(ProfileSet.builtIn(), true, clock.instant(), null);
        reload();
    }

    /** The file this catalog reads. */
    public Path path() {
        return path;
    }

    /**
     * Reads the file again and applies it if its content changed and it is valid. Safe to call from
     * any thread at any time; concurrent calls are serialised.
     */
    public synchronized ReloadOutcome reload() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            if (inForce.builtIn()) {
                return ReloadOutcome.MISSING;
            }
            // A ConfigMap swap can leave the path dangling for an instant; keep the last good set.
            LOG.warnf("profiles: %s is gone; keeping the profiles in force", path);
            return ReloadOutcome.MISSING;
        } catch (IOException e) {
            LOG.warnf("profiles: cannot read %s (%s); keeping the profiles in force", path, e.getMessage());
            return ReloadOutcome.UNCHANGED;
        }
        String sha = sha256(bytes);
        if (sha.equals(lastSeenSha256)) {
            return ReloadOutcome.UNCHANGED;
        }
        lastSeenSha256 = sha;
        ProfileParser.Result result = ProfileParser.parse(new String(bytes, StandardCharsets.UTF_8), path.toString());
        if (!result.ok()) {
            lastRefusedAt = clock.instant();
            lastRefusedErrors = result.problems().stream().map(ProfileProblem::toString).toList();
            LOG.errorf("profiles: refused %s, keeping the profiles in force:%n  %s", path,
                    String.join("\n  ", lastRefusedErrors));
            return ReloadOutcome.REFUSED;
        }
        inForce = new InForce(result.profiles(), false, clock.instant(), sha);
        LOG.infof("profiles: loaded %d profiles from %s", result.profiles().profiles().size(), path);
        return ReloadOutcome.APPLIED;
    }

    /** The whole set in force. */
    public ProfileSet current() {
        return inForce.set();
    }

    /** The profiles a user may pick, in file order; admins see all. */
    public List<Profile> visibleTo(Set<String> groups, boolean admin) {
        return inForce.set().profiles().stream().filter(p -> p.allows(groups, admin)).toList();
    }

    /** {@link #visibleTo} as JSON-able maps for the API and the spawn page. */
    public List<Map<String, Object>> viewsFor(Set<String> groups, boolean admin) {
        return ProfileViews.of(visibleTo(groups, admin));
    }

    /** {@link #visibleTo} as {@code slug} and {@code name} only, for the schedule forms' pickers. */
    public List<Map<String, String>> choicesFor(Set<String> groups, boolean admin) {
        return visibleTo(groups, admin).stream().map(p -> Map.of("slug", p.slug(), "name", p.displayName())).toList();
    }

    /**
     * Resolves user options ({@code {"profile": slug, "<option>": choice, "<option>--unlisted-choice":
     * text}}) against the profiles in force.
     *
     * @throws ProfileSelectionException 400 for an unknown profile or choice or a refused free-text
     *     value, 403 for a profile the user's groups may not use
     */
    public ResolvedProfile resolve(Map<String, Object> userOptions, Set<String> groups, boolean admin) {
        return ProfileResolver.resolve(inForce.set(), userOptions, groups, admin);
    }

    /**
     * Each profile a user may pick, resolved with its default choices (for showing what it gives); a
     * profile whose options have no default (free text only) shows its own override.
     */
    public List<ResolvedProfile> withDefaults(Set<String> groups, boolean admin) {
        return visibleTo(groups, admin).stream().map(p -> {
            try {
                return resolve(Map.of("profile", p.slug()), groups, admin);
            } catch (ProfileSelectionException needsInput) {
                return new ResolvedProfile(p, Map.of(), p.override());
            }
        }).toList();
    }

    /** State for the admin API. */
    public ProfilesStatus status() {
        InForce f = inForce;
        return new ProfilesStatus(path.toString(), f.builtIn(), f.set().profiles(), f.loadedAt(), f.sha256(),
                lastRefusedAt, lastRefusedErrors);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
