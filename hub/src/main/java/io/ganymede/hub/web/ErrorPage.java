package io.ganymede.hub.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Error pages: JupyterHub's {@code /hub/error/<code>} (the proxy's error target fetches it for
 * requests it cannot forward), and the HTML form of any error a browser meets outside the API.
 */
@Path("/hub/error")
public class ErrorPage {

    private final Template error;
    private final HtmlPages pages;

    ErrorPage(@Location("error.html") Template error, HtmlPages pages) {
        this.error = error;
        this.pages = pages;
    }

    @GET
    @Path("{code}")
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("code") String code, @QueryParam("url") String url, @Context HttpHeaders headers) {
        int status;
        try {
            status = Integer.parseInt(code);
        } catch (NumberFormatException e) {
            status = 404;
        }
        if (status < 400 || status > 599) {
            status = 404;
        }
        return render(status, null, url, headers);
    }

    /** The page for {@code status}; {@code message} (shown escaped) replaces the standard words when given. */
    public Response render(int status, String message, String url, HttpHeaders headers) {
        String reason = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        // A server that is starting or gone is the common 503: say so, and offer the way back.
        boolean server = status == 503 && url != null && url.startsWith("/user/");
        return pages.render(status, error.data("code", status).data("reason", reason)
                .data("message", message != null ? message : standard(status, server))
                .data("url", url).data("advice", advice(status)), headers);
    }

    private static String standard(int status, boolean server) {
        if (server) {
            return "This server is not running, or it is still starting.";
        }
        return switch (status) {
            case 403 -> "You are not allowed to see this page.";
            case 404 -> "There is nothing at this address.";
            case 502, 504 -> "The server behind this address did not answer.";
            case 503 -> "This service is not available right now.";
            default -> status >= 500 ? "Something went wrong in the hub." : "The request could not be handled.";
        };
    }

    private static List<String> advice(int status) {
        return switch (status) {
            case 403 -> List.of("Check that you are signed in as the right user.", "Ask an admin if you need access.");
            case 404 -> List.of("Check the address, or start from the hub's home page.");
            case 502, 503, 504 -> List.of("If it is your server, open the hub's home page to start it again or watch it start.",
                    "If it keeps happening, tell your administrator.");
            default -> List.of("Go back and try again.", "If it keeps happening, tell your administrator.");
        };
    }
}
