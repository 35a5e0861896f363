package io.ganymede.hub.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static Identity user(String email, String... groups) {
        return new Identity(email, email, Set.of(groups), Identity.Source.OIDC);
    }

    @Test
    void emptyPolicyAdmitsEveryone() {
        assertDoesNotThrow(() -> AccessPolicy.OPEN.check(user("anyone@anywhere.org"), null));
    }

    @Test
    void domainIsTakenFromHostedDomainClaimFirst() {
        AccessPolicy policy = new AccessPolicy(Set.of("Example.com"), Set.of(), Set.of());
        assertDoesNotThrow(() -> policy.check(user("alice@example.com"), null));
        assertDoesNotThrow(() -> policy.check(user("alice@alias.example.net"), "example.com"));
        assertThrows(AccessDeniedException.class, () -> policy.check(user("alice@example.com"), "other.org"));
        assertThrows(AccessDeniedException.class, () -> policy.check(user("alice@example.org"), null));
        assertThrows(AccessDeniedException.class, () -> policy.check(user("alice@sub.example.com"), null));
    }

    @Test
    void identityWithoutEmailFailsADomainRequirement() {
        AccessPolicy policy = new AccessPolicy(Set.of("example.com"), Set.of(), Set.of());
        assertThrows(AccessDeniedException.class,
                () -> policy.check(new Identity("alice", null, Set.of(), Identity.Source.OIDC), null));
    }

    @Test
    void listedUserOrGroupMemberIsAdmitted() {
        AccessPolicy policy = new AccessPolicy(Set.of(), Set.of("Alice@Example.com"), Set.of("data-science"));
        assertDoesNotThrow(() -> policy.check(user("alice@example.com"), null));
        assertDoesNotThrow(() -> policy.check(user("bob@example.com", "data-science"), null));
        assertThrows(AccessDeniedException.class, () -> policy.check(user("carol@example.com", "finance"), null));
    }

    @Test
    void domainRequirementHoldsEvenForListedUsers() {
        AccessPolicy policy = new AccessPolicy(Set.of("example.com"), Set.of("mallory@evil.com"), Set.of());
        assertThrows(AccessDeniedException.class, () -> policy.check(user("mallory@evil.com"), null));
        assertThrows(AccessDeniedException.class, () -> policy.check(user("bob@example.com"), null));
    }
}
