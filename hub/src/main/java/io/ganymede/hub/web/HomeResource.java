package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.Xsrf;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;

/**
 * The signed-in user's home page, and what the hub answers for {@code /user/<name>/...} when the
 * proxy has no route for it (the server is not running): a page to start it.
 */
@Path("/hub")
public class HomeResource {

    private final Template home;
    private final Template notRunning;
    private final CurrentCaller caller;
    private final ApiModels models;

    HomeResource(@Location("home.html") Template home, @Location("not-running.html") Template notRunning,
            CurrentCaller caller, ApiModels models) {
        this.home = home;
        this.notRunning = notRunning;
        this.caller = caller;
        this.models = models;
    }

    @GET
    @Path("home")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response home(@Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = caller.get().orElse(null);
        if (who == null || who.service()) {
            return login(uri);
        }
        UserEntity user = UserEntity.findByName(who.name()).orElseThrow();
        Map<String, Object> model = models.user(user, who.permissions());
        String xsrf = Xsrf.value(headers);
        return Response.ok(home.data("user", model).data("xsrf", xsrf)
                .data("prefix", Urls.serverPrefix(user.name, "")).render()).cookie(Xsrf.cookie(xsrf)).build();
    }

    @GET
    @Path("user/{name}/{rest: .*}")
    @Produces(MediaType.TEXT_HTML)
    public Response notRunning(@PathParam("name") String name, @Context UriInfo uri) {
        if (caller.get().isEmpty()) {
            return login(uri);
        }
        return Response.status(503).entity(notRunning.data("name", name).data("home", "/hub/home").render()).build();
    }

    private static Response login(UriInfo uri) {
        return Response.status(302).location(UriBuilder.fromPath("/hub/login")
                .queryParam("next", uri.getRequestUri().getRawPath()).build()).build();
    }
}
