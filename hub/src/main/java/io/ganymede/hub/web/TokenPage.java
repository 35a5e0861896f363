package io.ganymede.hub.web;

import io.ganymede.hub.api.ApiModels;
import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawn.Urls;
import io.ganymede.hub.tokens.TokenService;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/**
 * {@code /hub/token}: the user's API tokens and the servers' OAuth grants. Creating and revoking go
 * through the tokens API from the page's script, so the secret never passes through a page render.
 */
@Path("/hub/token")
public class TokenPage {

    private final Template token;
    private final HtmlPages pages;
    private final TokenService tokens;

    TokenPage(@Location("token.html") Template token, HtmlPages pages, TokenService tokens) {
        this.token = token;
        this.pages = pages;
        this.tokens = tokens;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response page(@Context HttpHeaders headers, @Context UriInfo uri) {
        Caller who = pages.person().orElse(null);
        if (who == null) {
            return HtmlPages.toLogin(uri);
        }
        UserEntity user = UserEntity.findByName(who.name()).orElseThrow();
        List<Map<String, Object>> listed = tokens.listed(user).stream().map(ApiModels::token).toList();
        String base = "/hub/api/users/" + Urls.escape(user.name) + "/tokens";
        return pages.render(token.data("page", "token").data("tokensUrl", base)
                .data("api", listed.stream().filter(t -> "JupyterHub".equals(t.get("oauth_client"))).toList())
                .data("oauth", listed.stream().filter(t -> !"JupyterHub".equals(t.get("oauth_client"))).toList()), headers);
    }
}
