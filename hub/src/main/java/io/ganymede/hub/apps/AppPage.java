package io.ganymede.hub.apps;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.oauth.AccessGrant;
import io.ganymede.hub.services.AppDefinition;
import io.ganymede.hub.web.HtmlPages;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * {@code /hub/services/<name>/...}: where a visit to a managed app lands while the proxy has no
 * route for it ({@code /services/<name>/...} is sent into the hub as {@code /user/...} is). A
 * signed-in person, or a token, with {@code access:services} on the app starts it and, in a
 * browser, sees the start's progress and is sent on to the app once it answers; a token's
 * client gets 503 with {@code Retry-After} until then. Others get 403; a visitor without a
 * session or token goes to the login page first, an invalid token gets 403.
 */
@Path("/hub/services")
@Blocking
public class AppPage {

    private final CurrentCaller caller;
    private final TeamApps apps;
    private final HtmlPages pages;
    private final Template pending;

    AppPage(CurrentCaller caller, TeamApps apps, HtmlPages pages, @Location("app-pending.html") Template pending) {
        this.caller = caller;
        this.apps = apps;
        this.pages = pages;
        this.pending = pending;
    }

    @GET
    @Path("{service_name}")
    public Response root(@PathParam("service_name") String name, @Context HttpHeaders headers, @Context UriInfo uri) {
        return visit(name, headers, uri);
    }

    @GET
    @Path("{service_name}/{rest: .*}")
    public Response visit(@PathParam("service_name") String name, @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = caller.get().orElse(null);
        boolean browser = headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
        if (who == null) {
            // As JupyterHub's pages: to the login page, unless a token was sent and is not valid.
            if (headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
                return HtmlPages.toLogin(uri);
            }
            throw new ApiException(403, "Missing or invalid credentials");
        }
        AppDefinition app = apps.app(name);
        AccessGrant.requireService(who, app.name());
        String target = target(uri);
        TeamApps.Opened opened = apps.open(app, who.service() ? "service:" + who.name() : who.name());
        if (opened == TeamApps.Opened.READY) {
            return Response.status(303).location(URI.create(target)).build();
        }
        if (!browser) {
            throw new ApiException(503, "The app " + app.name() + " is starting; try again shortly")
                    .withHeader("Retry-After", "5");
        }
        return pages.render(pending.data("name", app.name()).data("progressUrl", "/hub/api/services/" + app.name() + "/app/progress")
                .data("appUrl", target), headers);
    }

    /** The address the visitor asked for, outside the hub: {@code /hub/services/x/y?q} → {@code /services/x/y?q}. */
    private static String target(UriInfo uri) {
        URI request = uri.getRequestUri();
        String path = request.getRawPath().substring("/hub".length());
        return request.getRawQuery() == null ? path : path + "?" + request.getRawQuery();
    }
}
