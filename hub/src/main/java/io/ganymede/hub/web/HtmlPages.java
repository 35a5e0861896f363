package io.ganymede.hub.web;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.NextUrl;
import io.ganymede.hub.auth.Xsrf;
import io.ganymede.hub.services.ServiceDefinition;
import io.ganymede.hub.services.Services;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What every page shares: who is signed in (for the header), the XSRF value its forms and scripts
 * send back (set as a cookie on the same response), and the way to the login page.
 */
@ApplicationScoped
public class HtmlPages {

    /** The signed-in person as the header shows them, with the services they may open. */
    public record Me(String name, boolean admin, List<ServiceLink> services) {}

    /** A service in the header's menu: its name and {@code /services/<name>/}. */
    public record ServiceLink(String name, String href) {}

    private final CurrentCaller caller;
    private final Services services;

    HtmlPages(CurrentCaller caller, Services services) {
        this.caller = caller;
        this.services = services;
    }

    /** The caller when a person is signed in (a service token has no pages). */
    public Optional<Caller> person() {
        return caller.get().filter(c -> !c.service());
    }

    public Response render(TemplateInstance page, HttpHeaders headers) {
        return render(200, page, headers);
    }

    public Response render(int status, TemplateInstance page, HttpHeaders headers) {
        String xsrf = Xsrf.value(headers);
        Me me = person().map(c -> new Me(c.name(), c.permissions().holds("admin-ui"), services.accessible(c.permissions())
                .stream().map(s -> new ServiceLink(s.name, ServiceDefinition.prefix(s.name))).toList())).orElse(null);
        String html = page.data("xsrf", xsrf).data("me", me).render();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html)
                .cookie(Xsrf.cookie(xsrf)).build();
    }

    /** To the login page, coming back here afterwards. */
    public static Response toLogin(UriInfo uri) {
        return Response.status(302).location(NextUrl.toLogin(uri.getRequestUri())).build();
    }

    public static Response redirect(String path) {
        return Response.status(303).location(URI.create(path)).build();
    }
}
