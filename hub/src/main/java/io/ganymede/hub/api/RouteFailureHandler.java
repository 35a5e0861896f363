package io.ganymede.hub.api;

import io.ganymede.hub.config.HubConfig;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.nio.channels.ClosedChannelException;
import org.jboss.logging.Logger;

/**
 * Failures raised below JAX-RS, where {@link ApiErrorMapper} never sees them: Vert.x refusing a
 * request before any route (no {@code Host} on HTTP/1.1), Quarkus failing to read a body. Under
 * {@code /hub/api} they get the API's JSON error like everything else; elsewhere a client's
 * mistake gets a line of text and Quarkus's own page is kept for the hub's. A client's mistake is
 * logged at DEBUG, not as the hub's error; a client gone mid-request needs no answer at all.
 */
public class RouteFailureHandler {

    private static final Logger LOG = Logger.getLogger(RouteFailureHandler.class);
    /** Before Quarkus' error handler, which is the router's last failure handler. */
    private static final int ORDER = -1_000_000;

    void register(@Observes Router router, HubConfig config) {
        String version = config.jupyterhubVersion();
        router.route().order(ORDER).failureHandler(rc -> handle(rc, version));
    }

    private static void handle(RoutingContext rc, String version) {
        if (rc.response().ended()) {
            return;
        }
        Throwable failure = rc.failure();
        if (clientLeft(failure)) {
            // Nobody is left to answer, and nothing went wrong in the hub.
            LOG.debugf("%s %s: the client closed the connection", rc.request().method(), rc.request().path());
            return;
        }
        int status = status(rc.statusCode(), failure);
        if (status >= 500) {
            if (!HttpErrors.api(rc.request())) {
                rc.next();
                return;
            }
            LOG.errorf(failure, "%s %s failed", rc.request().method(), rc.request().path());
            HttpErrors.answer(rc, status, "Internal server error", false, version);
            return;
        }
        String message = reason(status) + (failure == null || failure.getMessage() == null ? "" : ": " + failure.getMessage());
        LOG.debugf("%s %s refused: %s", rc.request().method(), rc.request().path(), message);
        HttpErrors.answer(rc, status, message, true, version);
    }

    /** The status a failure was raised with (Vert.x refuses a request without Host as a 400), else 500. */
    private static int status(int failedWith, Throwable failure) {
        if (failure instanceof HttpException http) {
            return http.getStatusCode();
        }
        return failedWith > 0 ? failedWith : 500;
    }

    private static boolean clientLeft(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
