package io.ganymede.hub.api;

import io.ganymede.hub.culler.CullNotices;
import io.ganymede.hub.scopes.NeedsScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /hub/api/users/{name}/notifications}: a server-sent event stream of what the hub tells
 * the user about their servers ({@code cull_warning}, {@code cull_cancelled}, {@code culled}; see
 * {@link CullNotices}). It stays open; the page's EventSource reconnects by itself.
 */
@Path("/hub/api/users/{name}/notifications")
public class NotificationsResource {

    private final CullNotices notices;

    NotificationsResource(CullNotices notices) {
        this.notices = notices;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @NeedsScope("read:servers")
    @Blocking
    public Multi<Map<String, Object>> events(@PathParam("name") String name) {
        QuarkusTransaction.requiringNew().run(() -> JsonBody.user(name));
        return notices.events(name);
    }
}
