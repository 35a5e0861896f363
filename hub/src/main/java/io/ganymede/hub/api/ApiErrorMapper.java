package io.ganymede.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ganymede.hub.web.ErrorPage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves the hub as {@code {"status", "message"}} with the matching HTTP status; a
 * browser asking for a page outside the API gets the same as an HTML error page.
 */
public class ApiErrorMapper {

    private static final Logger LOG = Logger.getLogger(ApiErrorMapper.class);
    /** Where RESTEasy Reactive percent-decodes forms and queries. */
    private static final String URL_DECODER = "org.jboss.resteasy.reactive.common.util.URLUtils";

    private final ErrorPage pages;

    ApiErrorMapper(ErrorPage pages) {
        this.pages = pages;
    }

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri, HttpHeaders headers) {
        Response response = html(uri, headers) ? pages.render(e.status(), e.getMessage(), null, headers) : body(e.status(), e.getMessage(), e.details());
        if (e.headers().isEmpty()) {
            return response;
        }
        Response.ResponseBuilder withHeaders = Response.fromResponse(response);
        e.headers().forEach(withHeaders::header);
        return withHeaders.build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        if (html(uri, headers) && !(e.getCause() instanceof JsonProcessingException)) {
            return pages.render(e.getResponse().getStatus(), null, null, headers);
        }
        return web(e);
    }

    /** Pages, not the API, and a client that reads HTML (a browser), get the HTML form. */
    private static boolean html(UriInfo uri, HttpHeaders headers) {
        return !uri.getPath().startsWith("/hub/api") && headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
    }

    private Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 415 -> "Unsupported Media Type";
            default -> e.getMessage();
        };
        if (e.getCause() instanceof JsonProcessingException json) {
            return body(400, "Invalid JSON in body of request: " + json.getOriginalMessage());
        }
        return body(status, message);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return body(400, "Invalid JSON in body of request: " + e.getOriginalMessage());
    }

    /**
     * RESTEasy Reactive reports a form body (or query) it cannot percent-decode, {@code %} or
     * {@code %zz}, as a bare IllegalArgumentException from its URL decoder: the client's mistake.
     * Any other is the hub's.
     */
    @ServerExceptionMapper
    public Response undecodable(IllegalArgumentException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals(URL_DECODER)) {
                return body(400, "Malformed percent-escape in the request: " + e.getMessage());
            }
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Unhandled error", e);
        return body(500, "Internal server error");
    }

    public static Response body(int status, String message) {
        return body(status, message, Map.of());
    }

    /** JupyterHub's shape, with more keys beside status and message (a quota's numbers). */
    private static Response body(int status, String message, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        details.forEach(body::putIfAbsent);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
