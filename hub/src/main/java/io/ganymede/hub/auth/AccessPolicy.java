package io.ganymede.hub.auth;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The optional allow-lists applied after an identity is verified.
 *
 * <p>With no list set, every verified identity is admitted (IAP itself already decides who reaches
 * the hub). {@code allowedDomains}, when set, is a requirement: the Google Workspace domain
 * ({@code hd} claim) when the provider sent one, otherwise the email's domain, must be listed.
 * {@code allowedUsers} and {@code allowedGroups}, when either is set, admit anyone who is a listed
 * user <em>or</em> in a listed group, as JupyterHub's authenticators do.
 *
 * @param allowedDomains lower-case domains, e.g. {@code example.com}
 * @param allowedUsers user names (that is, lower-case emails) or email addresses
 * @param allowedGroups group names as the provider sends them
 */
public record AccessPolicy(Set<String> allowedDomains, Set<String> allowedUsers, Set<String> allowedGroups) {

    /** Admits every verified identity. */
    public static final AccessPolicy OPEN = new AccessPolicy(Set.of(), Set.of(), Set.of());

    public AccessPolicy {
        allowedDomains = lowerCased(allowedDomains);
        allowedUsers = lowerCased(allowedUsers);
        allowedGroups = allowedGroups == null ? Set.of() : Set.copyOf(allowedGroups);
    }

    /**
     * Checks an identity against the lists.
     *
     * @param hostedDomain the {@code hd} claim, or {@code null} when the token carried none
     * @throws AccessDeniedException when a list refuses the identity
     */
    public void check(Identity identity, String hostedDomain) {
        if (!allowedDomains.isEmpty()) {
            String domain = hostedDomain != null && !hostedDomain.isBlank()
                    ? hostedDomain.toLowerCase(Locale.ROOT)
                    : UsernameMapper.domainOf(identity.email()).orElse(null);
            if (domain == null || !allowedDomains.contains(domain)) {
                throw new AccessDeniedException(identity.username(), "domain not allowed: " + domain);
            }
        }
        if (allowedUsers.isEmpty() && allowedGroups.isEmpty()) {
            return;
        }
        boolean listedUser = allowedUsers.contains(identity.username())
                || (identity.email() != null && allowedUsers.contains(identity.email().toLowerCase(Locale.ROOT)));
        boolean inGroup = identity.groups().stream().anyMatch(allowedGroups::contains);
        if (!listedUser && !inGroup) {
            throw new AccessDeniedException(identity.username(), "not an allowed user or group member");
        }
    }

    private static Set<String> lowerCased(Set<String> values) {
        return values == null
                ? Set.of()
                : values.stream().map(v -> v.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
