package io.ganymede.hub.oauth;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.NextUrl;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.services.ServiceDefinition;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /hub/open-service/<name>}: where the proxy sends a browser that wants a service with
 * {@code login-at-proxy} (an app without a login of its own). The signed-in person gets an access
 * cookie for {@code /services/<name>/} if {@code access:services} on that service allows, as the
 * OAuth step decides for services that log people in themselves.
 */
@Path("/hub/open-service")
public class ServiceAccessResource {

    private final CurrentCaller caller;
    private final AccessGrant grant;

    ServiceAccessResource(CurrentCaller caller, AccessGrant grant) {
        this.caller = caller;
        this.grant = grant;
    }

    @GET
    @Path("{service_name}")
    @Transactional
    public Response open(@PathParam("service_name") String name, @QueryParam("next") String next, @Context UriInfo uri) {
        Caller who = AccessGrant.person(caller).orElse(null);
        if (who == null) {
            return Response.status(302).location(NextUrl.toLogin(uri.getRequestUri())).build();
        }
        ServiceEntity service = ServiceEntity.findByName(name).filter(s -> s.loginAtProxy)
                .orElseThrow(() -> new OAuthError(404, "not_found", "No such service behind the proxy's login: " + name));
        AccessGrant.requireService(who, service.name);
        String prefix = ServiceDefinition.prefix(service.name);
        return grant.redirect(prefix.substring(0, prefix.length() - 1), prefix, next);
    }
}
