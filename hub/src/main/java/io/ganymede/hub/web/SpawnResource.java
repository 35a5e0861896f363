package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.api.ServerDefinitions;
import io.ganymede.hub.api.ServerRequest;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.Xsrf;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.ProfileSelectionException;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The spawn page (the profile picker) and the spawn-pending page (progress), as JupyterHub's
 * {@code /hub/spawn[/<user>[/<server>]]} and {@code /hub/spawn-pending/<user>[/<server>]}.
 * Admins may spawn for others; everyone else only for themselves.
 */
@Path("/hub")
public class SpawnResource {

    /** How long the form post waits for a start to fail fast (a bad choice, already running) before showing progress. */
    private static final Duration EARLY_ANSWER = Duration.ofSeconds(1);
    /** JupyterHub 6's prefix of spawn options in a spawn page's query. */
    private static final String OPTION_PREFIX = "opt-";

    private final Template spawnPage;
    private final Template pendingPage;
    private final HtmlPages pages;
    private final ProfileCards cards;
    private final SpawnCoordinator spawns;
    private final ServerDefinitions definitions;

    SpawnResource(@Location("spawn.html") Template spawnPage, @Location("spawn-pending.html") Template pendingPage,
            HtmlPages pages, ProfileCards cards, SpawnCoordinator spawns, ServerDefinitions definitions) {
        this.spawnPage = spawnPage;
        this.pendingPage = pendingPage;
        this.pages = pages;
        this.cards = cards;
        this.spawns = spawns;
        this.definitions = definitions;
    }

    @GET
    @Path("spawn")
    @Produces(MediaType.TEXT_HTML)
    public Response formOwn(@Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        return who == null ? HtmlPages.toLogin(uri) : form(who.name(), "", headers, uri);
    }

    @GET
    @Path("spawn/{user}")
    @Produces(MediaType.TEXT_HTML)
    public Response formDefault(@PathParam("user") String user, @Context HttpHeaders headers, @Context UriInfo uri) {
        return form(user, "", headers, uri);
    }

    @GET
    @Path("spawn/{user}/{server}")
    @Produces(MediaType.TEXT_HTML)
    public Response formNamed(@PathParam("user") String user, @PathParam("server") String server,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return form(user, server, headers, uri);
    }

    @POST
    @Path("spawn")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response startOwn(MultivaluedMap<String, String> form, @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        return who == null ? HtmlPages.toLogin(uri) : start(who.name(), "", form, headers, uri);
    }

    @POST
    @Path("spawn/{user}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response startDefault(@PathParam("user") String user, MultivaluedMap<String, String> form,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return start(user, "", form, headers, uri);
    }

    @POST
    @Path("spawn/{user}/{server}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response startNamed(@PathParam("user") String user, @PathParam("server") String server,
            MultivaluedMap<String, String> form, @Context HttpHeaders headers, @Context UriInfo uri) {
        return start(user, server, form, headers, uri);
    }

    @GET
    @Path("spawn-pending/{user}")
    @Produces(MediaType.TEXT_HTML)
    public Response pendingDefault(@PathParam("user") String user, @Context HttpHeaders headers, @Context UriInfo uri) {
        return pending(user, "", headers, uri);
    }

    @GET
    @Path("spawn-pending/{user}/{server}")
    @Produces(MediaType.TEXT_HTML)
    public Response pendingNamed(@PathParam("user") String user, @PathParam("server") String server,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return pending(user, server, headers, uri);
    }

    /** The target user as the page needs them, after checking the caller may act on that server. */
    private record Subject(String name, java.util.Set<String> groups, boolean admin, Map<String, Object> lastOptions,
            boolean running) {}

    private Subject target(Caller who, String user, String server, String scope) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UserEntity u = UserEntity.findByName(user).orElse(null);
            if (u == null || !who.permissions().allows(scope, Target.server(u.name, server, u.groupNames()))) {
                // An unknown user looks like a forbidden one, as in the API.
                throw new ApiException(404, "No access to a server " + (server.isEmpty() ? "" : server + " ") + "of user " + user);
            }
            // The last choice: this server's, else the one the user started most recently.
            Map<String, Object> last = u.server(server).map(s -> JsonColumns.object(s.userOptions))
                    .filter(o -> !o.isEmpty())
                    .orElseGet(() -> u.servers.stream()
                            .filter(s -> !JsonColumns.object(s.userOptions).isEmpty())
                            .max(Comparator.comparing((ServerEntity s) -> s.lastActivity == null ? java.time.Instant.EPOCH : s.lastActivity))
                            .map(s -> JsonColumns.object(s.userOptions)).orElse(Map.of()));
            boolean running = u.server(server).map(ServerEntity::running).orElse(false);
            return new Subject(u.name, u.groupNames(), u.admin, last, running);
        });
    }

    private Response form(String user, String server, HttpHeaders headers, UriInfo uri) {
        return form(user, server, headers, uri, null, null, 200);
    }

    private Response form(String user, String server, HttpHeaders headers, UriInfo uri, Map<String, Object> chosen,
            String error, int status) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        if (!server.isEmpty()) {
            definitions.checkNamed(user, server, server, true);
        }
        Subject t = target(who, user, server, "start:servers");
        String pending = spawns.pending(t.name(), server);
        if ("spawn".equals(pending)) {
            return HtmlPages.redirect(ServerRows.pendingUrl(t.name(), server));
        }
        if (t.running() && pending == null && error == null) {
            return HtmlPages.redirect(Urls.serverPrefix(t.name(), server));
        }
        Map<String, Object> selected = chosen;
        if (selected == null) {
            // A link may pre-select a profile and its options, as KubeSpawner's spawn URLs do;
            // JupyterHub 6 names them opt-<name>, which wins over the bare name of earlier links.
            MultivaluedMap<String, String> query = new MultivaluedHashMap<>(uri.getQueryParameters());
            uri.getQueryParameters().forEach((key, values) -> {
                if (key.startsWith(OPTION_PREFIX)) {
                    query.put(key.substring(OPTION_PREFIX.length()), values);
                }
            });
            selected = query.containsKey("profile") ? cards.options(query) : t.lastOptions();
        }
        boolean own = who.name().equals(t.name());
        return pages.render(status, spawnPage.data("user", t.name()).data("server", server).data("own", own)
                .data("displayName", "")
                .data("cards", cards.cards(t.name(), t.groups(), t.admin(), selected)).data("error", error)
                .data("action", ServerRows.spawnUrl(t.name(), server))
                .data("capacityUrl", cards.capacityAvailable() ? "/hub/api/profiles/capacity" : null),
                headers);
    }

    private Response start(String user, String server, MultivaluedMap<String, String> form, HttpHeaders headers, UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        if (!Xsrf.valid(headers, form.getFirst("_xsrf"))) {
            throw new ApiException(403, "XSRF cookie does not match POST argument");
        }
        Subject t = target(who, user, server, "start:servers");
        // As the API's start body: a display name beside the options, checked and kept for a named server.
        String displayName = form.getFirst("display_name");
        Map<String, Object> options = definitions.beforeStart(t.name(), server, new ServerRequest(
                displayName == null || displayName.isBlank() ? null : displayName.strip(), cards.options(form)));
        CompletableFuture<SpawnCoordinator.Started> started = CompletableFuture.supplyAsync(
                () -> spawns.start(t.name(), server, options), Infrastructure.getDefaultWorkerPool());
        try {
            if (started.get(EARLY_ANSWER.toMillis(), TimeUnit.MILLISECONDS) == SpawnCoordinator.Started.READY) {
                return HtmlPages.redirect(Urls.serverPrefix(t.name(), server));
            }
        } catch (TimeoutException stillStarting) {
            // The progress page follows it from here.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            int status = cause instanceof ApiException api ? api.status()
                    : cause instanceof ProfileSelectionException p ? p.status() : 500;
            if (status < 500) {
                return form(t.name(), server, headers, uri, new LinkedHashMap<>(options), cause.getMessage(), status);
            }
            // A failed start is told, with what to do, by the progress page.
        }
        return HtmlPages.redirect(ServerRows.pendingUrl(t.name(), server));
    }

    private Response pending(String user, String server, HttpHeaders headers, UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        Subject t = target(who, user, server, "read:servers");
        String pending = spawns.pending(t.name(), server);
        if (t.running() && pending == null) {
            return HtmlPages.redirect(Urls.serverPrefix(t.name(), server));
        }
        if (pending == null && spawns.runtime(t.name(), server).isEmpty()) {
            // Nothing started since the hub came up: offer to start it.
            return HtmlPages.redirect(ServerRows.spawnUrl(t.name(), server));
        }
        return pages.render(pendingPage.data("user", t.name()).data("server", server)
                .data("own", who.name().equals(t.name()))
                .data("progressUrl", ApiModels.progressUrl(t.name(), server))
                .data("serverUrl", Urls.serverPrefix(t.name(), server))
                .data("apiUrl", ServerRows.apiUrl(t.name(), server))
                .data("spawnUrl", ServerRows.spawnUrl(t.name(), server)), headers);
    }
}
