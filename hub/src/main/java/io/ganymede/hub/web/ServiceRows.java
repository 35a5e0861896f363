package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.services.AppStates;
import io.ganymede.hub.services.AppStates.AppState;
import io.ganymede.hub.services.ServiceDefinition;
import io.ganymede.hub.services.Services;
import io.ganymede.hub.spawn.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Services as the pages list them: the team apps a person may open (home page) and every service
 * an admin may read (admin page), each with its kind and, for a managed app, its run. Callers run
 * in a transaction.
 */
@ApplicationScoped
public class ServiceRows {

    /** What a service is: a URL of its own, an app the hub runs, or an API client without pages. */
    public enum Kind {
        EXTERNAL("external"), APP("managed app"), API("API only");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One service; times are ISO 8601, null when unknown.
     *
     * @param description its {@code info.description}, if a string
     * @param href {@code /services/<name>/}; null for an API client
     * @param url where an external service listens (admins only see this)
     * @param state a managed app's state (stopped, starting, running, stopping); null otherwise
     * @param idleStopAt when a running app will be stopped if nobody uses it
     * @param lastUser who opened it last, and {@code lastUsedAt} when
     * @param stopUrl the API that stops a running managed app, for a viewer holding
     *     {@code admin:services} on it; null otherwise
     */
    public record Row(String name, Kind kind, String description, String href, String url, String state,
            String started, String idleStopAt, String lastUser, String lastUsedAt, String stopReason, String message,
            String stopUrl) {

        public boolean app() {
            return kind == Kind.APP;
        }
    }

    private final Services services;
    private final AppStates apps;

    ServiceRows(Services services, AppStates apps) {
        this.services = services;
        this.apps = apps;
    }

    /** The team apps a person may open: those the header's Services menu links. */
    public List<Row> openable(Permissions permissions) {
        return services.accessible(permissions).stream().map(s -> row(s, null)).toList();
    }

    /** Every service whose model the admin may read ({@code read:services} on it). */
    public List<Row> readable(Permissions permissions) {
        return services.all().stream().filter(s -> permissions.allows("read:services", Target.service(s.name)))
                .map(s -> row(s, permissions)).toList();
    }

    /** A service's row; {@code admin}, when given, is whose stop buttons it may show. */
    private Row row(ServiceEntity service, Permissions admin) {
        AppState app = apps.of(service).orElse(null);
        Kind kind = app != null ? Kind.APP : service.url != null ? Kind.EXTERNAL : Kind.API;
        String href = kind == Kind.API ? null : ServiceDefinition.prefix(service.name);
        String description = service.infoObject().get("description") instanceof String d && !d.isBlank() ? d : null;
        if (app == null) {
            return new Row(service.name, kind, description, href, service.url, null, null, null, null, null, null, null,
                    null);
        }
        boolean stoppable = app.running() && admin != null && admin.allows("admin:services", Target.service(service.name));
        return new Row(service.name, kind, description, href, null, app.state(), ApiModels.iso(app.started()),
                ApiModels.iso(app.idleStopAt()), app.lastUser(), ApiModels.iso(app.lastUsedAt()), app.stopReason(), app.message(),
                stoppable ? "/hub/api/services/" + Urls.escape(service.name) + "/app" : null);
    }
}
