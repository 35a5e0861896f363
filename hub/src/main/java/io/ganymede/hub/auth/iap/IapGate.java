package io.ganymede.hub.auth.iap;

import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.tokens.Secrets;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * In IAP mode, stands in front of every hub route (pages, API, the OAuth authorize step, static
 * files): a request passes only with a valid IAP assertion, whose identity it then carries for
 * {@link io.ganymede.hub.auth.CallerFilter}, or with an API token, so automation can use an
 * internal load balancer without IAP. Refusals are 401 (403 when the allow-lists refuse a
 * verified user), with a generic message; the reason goes to the log.
 */
@ApplicationScoped
public class IapGate {

    /** Routing-context key of the verified {@link io.ganymede.hub.auth.Identity}. */
    public static final String IDENTITY = "ganymede.iap.identity";

    private static final Logger LOG = Logger.getLogger(IapGate.class);
    /** Authenticated by client credentials in the body: single-user servers call it directly. */
    private static final String OAUTH_TOKEN_PATH = "/hub/api/oauth2/token";

    private final AuthConfig config;
    private final IapRequestAuthenticator authenticator;

    IapGate(AuthConfig config, IapRequestAuthenticator authenticator) {
        this.config = config;
        this.authenticator = authenticator;
    }

    void install(@Observes Router router) {
        if (config.mode() != AuthConfig.Mode.IAP) {
            return;
        }
        // Before Quarkus' own handlers, so nothing under the hub is served unverified.
        router.route().order(Integer.MIN_VALUE + 1000).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (IapRequestAuthenticator.isExempt(path) || path.equals(OAUTH_TOKEN_PATH) || carriesToken(rc)) {
            rc.next();
            return;
        }
        Context context = Vertx.currentContext();
        rc.request().pause();
        authenticator.authenticate(rc.request()::getHeader).subscribe().with(
                identity -> context.runOnContext(v -> {
                    rc.put(IDENTITY, identity);
                    rc.request().resume();
                    rc.next();
                }),
                failure -> context.runOnContext(v -> refuse(rc, failure)));
    }

    /** A token for CallerFilter to check; one that turns out invalid leaves the request anonymous. */
    private static boolean carriesToken(RoutingContext rc) {
        String authorization = rc.request().getHeader("Authorization");
        if (authorization != null) {
            String scheme = authorization.split(" ", 2)[0];
            if (scheme.equalsIgnoreCase("token") || scheme.equalsIgnoreCase("bearer")) {
                return true;
            }
        }
        return rc.request().getParam("token") != null;
    }

    private static void refuse(RoutingContext rc, Throwable failure) {
        int status = failure instanceof AccessDeniedException ? 403 : 401;
        // The assertion by fingerprint only: a validly signed one is replayable until it expires.
        LOG.warnf("IAP refused %s %s (assertion %s): %s", rc.request().method(), rc.normalizedPath(),
                Secrets.fingerprint(rc.request().getHeader(IapRequestAuthenticator.ASSERTION_HEADER)),
                failure.getMessage());
        String message = status == 403 ? "Your account is not allowed to use this hub."
                : "Not signed in: requests must come through Identity-Aware Proxy.";
        rc.request().resume();
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", status).put("message", message).encode());
    }
}
