package io.ganymede.hub.auth.iap;

import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Identity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Function;

/**
 * The entry point for a request filter in IAP mode: reads the assertion header and verifies it.
 *
 * <p>The load balancer's health checks do not pass through IAP and carry no assertion, so
 * {@link #isExempt} names the paths a filter must let through unauthenticated.
 */
@ApplicationScoped
public class IapRequestAuthenticator {

    /** The signed header IAP adds to every request it forwards. */
    public static final String ASSERTION_HEADER = "x-goog-iap-jwt-assertion";

    /** Path prefixes served without an assertion (health checks and metrics scrapes). */
    public static final List<String> EXEMPT_PATH_PREFIXES = List.of("/hub/health", "/q/health", "/q/metrics", "/hub/metrics");

    private final IapVerifier verifier;

    public IapRequestAuthenticator(IapVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * Whether a request path needs no assertion. Pass the normalized path (Vert.x
     * {@code RoutingContext.normalizedPath()}), so {@code /hub/health/../api} is not exempt. A
     * prefix matches whole segments only: {@code /hub/healthy} is not exempt.
     */
    public static boolean isExempt(String normalizedPath) {
        if (normalizedPath == null) {
            return false;
        }
        return EXEMPT_PATH_PREFIXES.stream()
                .anyMatch(p -> normalizedPath.equals(p) || normalizedPath.startsWith(p + "/"));
    }

    /**
     * Verifies a request's IAP assertion.
     *
     * @param headers looks a request header up by (case-insensitive) name, e.g. {@code rc.request()::getHeader}
     * @return the identity, or a failed {@link Uni} as described in {@link IapVerifier#verify}
     */
    public Uni<Identity> authenticate(Function<String, String> headers) {
        String assertion = headers.apply(ASSERTION_HEADER);
        if (assertion == null || assertion.isBlank()) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "no " + ASSERTION_HEADER + " header: the request did not come through IAP"));
        }
        return verifier.verify(assertion);
    }
}
