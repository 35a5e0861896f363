package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.api.UserNames;
import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.auth.CallerFilter;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.Sessions;
import io.ganymede.hub.auth.Xsrf;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The development login: any name is accepted, so it only ever listens on loopback. */
@Path("/hub")
public class LoginResource {

    private final Template login;
    private final Sessions sessions;
    private final AuthConfig config;
    private final CurrentCaller caller;

    LoginResource(@Location("login.html") Template login, Sessions sessions, AuthConfig config, CurrentCaller caller) {
        this.login = login;
        this.sessions = sessions;
        this.config = config;
        this.caller = caller;
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("next") String next, @Context HttpHeaders headers) {
        if (caller.get().isPresent()) {
            return redirect(safeNext(next));
        }
        String xsrf = Xsrf.value(headers);
        return Response.ok(login.data("xsrf", xsrf).data("next", next == null ? "" : next).data("error", null)
                .data("mode", config.mode().name().toLowerCase()).render()).cookie(Xsrf.cookie(xsrf)).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response submit(@FormParam("username") String username, @FormParam("next") String next,
            @FormParam("_xsrf") String xsrf, @Context HttpHeaders headers) {
        if (config.mode() != AuthConfig.Mode.DEV) {
            throw new ApiException(404, "Not Found");
        }
        if (!Xsrf.valid(headers, xsrf)) {
            throw new ApiException(403, "XSRF cookie does not match POST argument");
        }
        String name;
        try {
            name = UserNames.normalize(username);
        } catch (ApiException invalid) {
            String token = Xsrf.value(headers);
            return Response.status(400).entity(login.data("xsrf", token).data("next", next == null ? "" : next)
                    .data("error", invalid.getMessage()).data("mode", config.mode().name().toLowerCase()).render()).build();
        }
        return Response.status(302).location(URI.create(safeNext(next))).cookie(sessions.signIn(name)).build();
    }

    @GET
    @Path("logout")
    public Response logout(@CookieParam(CallerFilter.LOGIN_COOKIE) String session) {
        return Response.status(302).location(URI.create("/hub/login")).cookie(sessions.signOut(session)).build();
    }

    @GET
    public Response root() {
        return redirect("/hub/home");
    }

    /** Only paths on this site: an open redirect would hand the login to anyone's page. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
            return "/hub/home";
        }
        return next;
    }

    static Response redirect(String path) {
        return Response.status(302).location(URI.create(path)).build();
    }
}
