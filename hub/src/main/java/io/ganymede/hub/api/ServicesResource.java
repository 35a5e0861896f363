package io.ganymede.hub.api;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.Identities;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.proxy.ProxyClient;
import io.ganymede.hub.proxy.ProxySync;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.RoleCatalog;
import io.ganymede.hub.scopes.Roles;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.services.ServiceDefinition;
import io.ganymede.hub.services.Services;
import io.smallrye.common.annotation.Blocking;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * {@code /hub/api/services}: JupyterHub's service endpoints (apihandlers/services.py), reading
 * services and, since JupyterHub 5.0, creating and deleting those not from the configuration.
 */
@Path("/hub/api/services")
@Produces(MediaType.APPLICATION_JSON)
@Blocking // the caller is resolved from the database before any method runs
public class ServicesResource {

    private static final Logger LOG = Logger.getLogger(ServicesResource.class);
    private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(10);

    private final CurrentCaller caller;
    private final Services services;
    private final ApiModels models;
    private final RoleCatalog roles;
    private final ProxyClient proxy;

    ServicesResource(CurrentCaller caller, Services services, ApiModels models, RoleCatalog roles, ProxyClient proxy) {
        this.caller = caller;
        this.services = services;
        this.models = models;
        this.roles = roles;
        this.proxy = proxy;
    }

    /** {@code {name: model}} of the services the caller may list, each with the fields its scopes allow. */
    @GET
    @NeedsScope("list:services")
    @Transactional
    public Map<String, Object> list() {
        Permissions permissions = caller.require().permissions();
        Map<String, Object> listed = new LinkedHashMap<>();
        for (ServiceEntity service : services.all()) {
            if (permissions.allows("list:services", Target.service(service.name))) {
                listed.put(service.name, models.service(service, services.rolesOf(service), permissions));
            }
        }
        return listed;
    }

    @GET
    @Path("{service_name}")
    @NeedsScope({"read:services", "read:services:name", "read:roles:services"})
    @Transactional
    public Map<String, Object> get(@PathParam("service_name") String name) {
        ServiceEntity service = services.find(name).orElseThrow(() -> ApiException.notFound("No such service: " + name));
        return models.service(service, services.rolesOf(service), caller.require().permissions());
    }

    /** JupyterHub 5.0: an external service; the hub cannot run one ({@code command} is a 400). */
    @POST
    @Path("{service_name}")
    @NeedsScope("admin:services")
    public Response create(@PathParam("service_name") String name, String body) {
        Caller requester = caller.require();
        if (services.find(name).isPresent() || Services.reserved(name)) {
            throw new ApiException(409, "Service " + name + " already exists");
        }
        ServiceDefinition definition;
        ServiceEntity service;
        try {
            definition = ServiceDefinition.fromApi(name, JsonBody.object(body));
            checkGrantable(requester, definition);
            service = services.create(definition);
        } catch (ServiceDefinition.InvalidServiceException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (service.url != null) {
            addRoute(service);
        }
        return Response.status(201).entity(models.service(service, services.rolesOf(service), requester.permissions())).build();
    }

    @DELETE
    @Path("{service_name}")
    @NeedsScope("admin:services")
    public Response delete(@PathParam("service_name") String name) {
        ServiceEntity service = services.find(name).orElseThrow(() -> ApiException.notFound("Service " + name + " does not exist"));
        if (service.fromConfig) {
            throw new ApiException(405, "Service " + name + " is not modifiable at runtime");
        }
        services.delete(service);
        if (service.url != null) {
            try {
                proxy.deleteRoute(ServiceDefinition.prefix(name)).await().atMost(ROUTE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warnf("could not remove the route of service %s (the next route check will): %s", name, e.getMessage());
            }
        }
        return Response.ok().build();
    }

    /**
     * As JupyterHub's {@code _check_service_scopes}: what the service's login tokens may carry, and
     * the admin role, only as far as the requester holds them.
     */
    private void checkGrantable(Caller requester, ServiceDefinition definition) {
        List<String> requested = new ArrayList<>(definition.oauthAllowedScopes());
        // inherit: whatever each person logging in holds, which never exceeds them.
        requested.remove("inherit");
        if (definition.admin()) {
            requested.addAll(roles.scopes(Roles.ADMIN));
        }
        if (requested.isEmpty()) {
            return;
        }
        Permissions wanted = Permissions.expandForService(requested, definition.name());
        TreeSet<String> missing = new TreeSet<>(wanted.asStrings());
        missing.removeAll(wanted.intersect(requester.permissions(), Identities::groupsOf).asStrings());
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("Not assigning requested scopes " + missing + " not held by "
                    + requester.kind() + " " + requester.name());
        }
    }

    private void addRoute(ServiceEntity service) {
        try {
            proxy.addRoute(ServiceDefinition.prefix(service.name), service.url, ProxySync.serviceRouteData(service))
                    .await().atMost(ROUTE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("could not add the route of service %s (the next route check will): %s", service.name, e.getMessage());
        }
    }
}
