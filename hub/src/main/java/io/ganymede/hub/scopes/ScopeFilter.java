package io.ganymede.hub.scopes;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.persistence.UserEntity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Method;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one place where API authorization happens. Every method under {@code /hub/api} must say
 * {@link NeedsScope} or {@link Public}; one that says neither is refused, so nothing can forget.
 *
 * <p>As JupyterHub's {@code needs_scope}: no caller is a 403; the scopes are tried in order, and the
 * first one held decides: held for everything, or for this resource, admits; held only for other
 * resources is a 404 (the resource may as well not exist); none held is a 403.
 */
public class ScopeFilter {

    private final CurrentCaller current;

    ScopeFilter(CurrentCaller current) {
        this.current = current;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHORIZATION)
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !request.getUriInfo().getPath().startsWith("/hub/api")) {
            return;
        }
        if (method.isAnnotationPresent(Public.class)) {
            return;
        }
        NeedsScope needs = method.getAnnotation(NeedsScope.class);
        if (needs == null) {
            throw new ApiException(403, "Endpoint declares no scope");
        }
        Caller caller = current.require();
        if (needs.value().length == 0) {
            return;
        }
        // A user's groups matter only to scopes held for groups: the common request reads none.
        boolean groups = java.util.Arrays.stream(needs.value()).anyMatch(caller.permissions()::filtersByGroup);
        Target target = target(request.getUriInfo().getPathParameters(), needs.server(), groups);
        for (String scope : needs.value()) {
            if (!caller.permissions().holds(scope)) {
                continue;
            }
            if (target == null || caller.permissions().allows(scope, target)) {
                return;
            }
            // As JupyterHub: a scope held for other resources hides this one, so a user cannot
            // tell another user's resources from missing ones.
            throw new ApiException(404, "No access to resources or resources not found");
        }
        throw new ApiException(403, "Action is not authorized with current scopes; requires any of "
                + java.util.Arrays.toString(needs.value()));
    }

    private static Target target(MultivaluedMap<String, String> params, boolean server, boolean withGroups) {
        String user = params.getFirst("name");
        String group = params.getFirst("group_name");
        String service = params.getFirst("service_name");
        if (service != null) {
            return Target.service(service);
        }
        if (user != null) {
            Set<String> groups = withGroups ? UserEntity.findByName(user).map(UserEntity::groupNames).orElse(Set.of()) : Set.of();
            if (server) {
                String serverName = params.getFirst("server_name");
                return Target.server(user, serverName == null ? "" : serverName, groups);
            }
            return Target.user(user, groups);
        }
        if (group != null) {
            return Target.group(group);
        }
        return null;
    }
}
