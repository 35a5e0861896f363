package io.ganymede.hub.web;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.ShareCodeEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.sharing.ShareCodes;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /hub/accept-share?code=}: what a share code would give and by whom, and accepting it (a
 * form post with {@code _xsrf}, checked by {@code XsrfFilter}), as JupyterHub 5's accept-share
 * page. Accepting leads to the shared server.
 */
@Path("/hub/accept-share")
public class AcceptSharePage {

    private final Template acceptShare;
    private final HtmlPages pages;
    private final ErrorPage errors;
    private final ShareCodes codes;

    AcceptSharePage(@Location("accept-share.html") Template acceptShare, HtmlPages pages, ErrorPage errors,
            ShareCodes codes) {
        this.acceptShare = acceptShare;
        this.pages = pages;
        this.errors = errors;
        this.codes = codes;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response show(@QueryParam("code") String code, @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        ShareCodeEntity found = codes.find(code).orElse(null);
        if (found == null) {
            return errors.render(404, "Share not found or expired", null, headers);
        }
        ServerEntity server = found.server;
        if (server.user.name.equals(who.name())) {
            return errors.render(403, "You can't share with yourself!", null, headers);
        }
        return pages.render(acceptShare.data("page", "accept-share").data("code", code)
                .data("owner", server.user.name).data("server", server.name)
                .data("serverUrl", Urls.serverPrefix(server.user.name, server.name))
                .data("running", server.running()).data("scopes", found.scopeList()), headers);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response accept(@FormParam("code") String code, @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        ShareCodeEntity found = codes.find(code).orElse(null);
        if (found == null) {
            return errors.render(400, "Invalid or expired share code", null, headers);
        }
        if (found.server.user.name.equals(who.name())) {
            return errors.render(400, "You can't share with yourself!", null, headers);
        }
        codes.exchange(found, UserEntity.findByName(who.name()).orElseThrow());
        return HtmlPages.redirect(Urls.serverPrefix(found.server.user.name, found.server.name));
    }
}
