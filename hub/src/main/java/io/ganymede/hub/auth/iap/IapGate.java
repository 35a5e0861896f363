package io.ganymede.hub.auth.iap;

import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CallerFilter;
import io.ganymede.hub.auth.Identities;
import io.ganymede.hub.auth.Identity;
import io.ganymede.hub.tokens.Secrets;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * In IAP mode, stands in front of every hub route (pages, API, the OAuth authorize step, static
 * files). A request passes with a valid hub API token (so automation can use an internal load
 * balancer without IAP), which then decides who it is, as JupyterHub would; otherwise only with a
 * valid IAP assertion, whose identity it then carries for {@link CallerFilter}. An
 * {@code Authorization} header that is no hub token never outvotes the assertion: pipelines
 * reaching the hub through IAP send {@code Authorization: Bearer <Google-signed ID token>}, which
 * IAP checked and passes on beside the assertion. Refusals are 401 (403 when the allow-lists refuse
 * a verified user), with a generic message; the reason goes to the log.
 */
@ApplicationScoped
public class IapGate {

    /** Routing-context key of the verified {@link Identity}, when the assertion decided. */
    public static final String IDENTITY = "ganymede.iap.identity";
    /** Routing-context key of the {@link Caller} of a valid hub token, when the token decided. */
    public static final String TOKEN_CALLER = "ganymede.iap.token-caller";

    private static final Logger LOG = Logger.getLogger(IapGate.class);
    /** Authenticated by client credentials in the body: single-user servers call it directly. */
    private static final String OAUTH_TOKEN_PATH = "/hub/api/oauth2/token";

    private final AuthConfig config;
    private final IapRequestAuthenticator authenticator;
    private final Identities identities;

    IapGate(AuthConfig config, IapRequestAuthenticator authenticator, Identities identities) {
        this.config = config;
        this.authenticator = authenticator;
        this.identities = identities;
    }

    void install(@Observes Router router) {
        if (config.mode() != AuthConfig.Mode.IAP) {
            return;
        }
        // Before Quarkus' own handlers, so nothing under the hub is served unverified.
        router.route().order(Integer.MIN_VALUE + 1000).handler(this::handle);
    }

    /** What let a request in: a hub token's caller, or else the assertion's identity. */
    private record Admission(Caller byToken, Identity byAssertion) {}

    void handle(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (IapRequestAuthenticator.isExempt(path) || path.equals(OAUTH_TOKEN_PATH)) {
            rc.next();
            return;
        }
        String token = CallerFilter.presentedToken(rc.request().getHeader("Authorization"), rc.request().getParam("token"))
                .orElse(null);
        Context context = Vertx.currentContext();
        rc.request().pause();
        hubToken(token).flatMap(caller -> caller.isPresent()
                        ? Uni.createFrom().item(new Admission(caller.get(), null))
                        : authenticator.authenticate(rc.request()::getHeader).map(identity -> new Admission(null, identity)))
                .subscribe().with(
                        admitted -> context.runOnContext(v -> {
                            if (admitted.byToken() != null) {
                                rc.put(TOKEN_CALLER, admitted.byToken());
                            } else {
                                rc.put(IDENTITY, admitted.byAssertion());
                            }
                            rc.request().resume();
                            rc.next();
                        }),
                        failure -> context.runOnContext(v -> refuse(rc, token, failure)));
    }

    /** The caller of a valid hub token; a database lookup, so off the event loop. */
    private Uni<Optional<Caller>> hubToken(String token) {
        if (token == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().item(() -> identities.fromSecret(token, false))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static void refuse(RoutingContext rc, String token, Throwable failure) {
        rc.request().resume();
        if (!(failure instanceof AuthenticationFailedException || failure instanceof AccessDeniedException)) {
            // Logged here, without the query string, which may hold a token.
            LOG.errorf(failure, "IAP check of %s %s failed", rc.request().method(), rc.normalizedPath());
            answer(rc, 500, "Internal server error");
            return;
        }
        int status = failure instanceof AccessDeniedException ? 403 : 401;
        // Credentials by fingerprint only: a validly signed assertion is replayable until it expires.
        LOG.warnf("IAP refused %s %s (assertion %s%s): %s", rc.request().method(), rc.normalizedPath(),
                Secrets.fingerprint(rc.request().getHeader(IapRequestAuthenticator.ASSERTION_HEADER)),
                token == null ? "" : ", token " + Secrets.fingerprint(token) + " is no hub token",
                failure.getMessage());
        answer(rc, status, status == 403 ? "Your account is not allowed to use this hub."
                : "Not signed in: requests must come through Identity-Aware Proxy.");
    }

    private static void answer(RoutingContext rc, int status, String message) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", status).put("message", message).encode());
    }
}
