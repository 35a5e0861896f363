package io.ganymede.hub.api;

import io.ganymede.hub.config.PublicUrls;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.ShareCodeEntity;
import io.ganymede.hub.persistence.ShareEntity;
import io.ganymede.hub.scopes.Permissions;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** JupyterHub 5's models of shares and share codes, and their always-paginated lists. */
@ApplicationScoped
public class ShareModels {

    /** The fields of the server model a share shows, as JupyterHub's sharing handlers cut it down. */
    private static final List<String> SERVER_FIELDS = List.of("name", "url", "full_url", "ready");

    private final ApiModels models;
    private final PublicUrls publicUrls;

    ShareModels(ApiModels models, PublicUrls publicUrls) {
        this.models = models;
        this.publicUrls = publicUrls;
    }

    /** The shared server, with only its owner's name: a recipient learns nothing more of them. */
    public Map<String, Object> server(ServerEntity server) {
        Map<String, Object> full = models.server(server, Permissions.NONE);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("user", Map.of("name", server.user.name));
        SERVER_FIELDS.forEach(key -> model.put(key, full.get(key)));
        return model;
    }

    public Map<String, Object> share(ShareEntity share) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("server", server(share.server));
        model.put("scopes", share.scopeList());
        model.put("user", share.user == null ? null : Map.of("name", share.user.name));
        model.put("group", share.group == null ? null : Map.of("name", share.group.name));
        model.put("kind", share.group == null ? "user" : "group");
        model.put("created_at", ApiModels.iso(share.createdAt));
        return model;
    }

    /** A code's model; the code and its accept URLs only with {@code code}, when it was just made. */
    public Map<String, Object> code(ShareCodeEntity code, String secret) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("server", server(code.server));
        model.put("scopes", code.scopeList());
        model.put("id", code.publicId());
        model.put("created_at", ApiModels.iso(code.createdAt));
        model.put("expires_at", ApiModels.iso(code.expiresAt));
        model.put("exchange_count", code.exchangeCount);
        model.put("last_exchanged_at", ApiModels.iso(code.lastExchangedAt));
        if (secret != null) {
            model.put("code", secret);
            model.put("accept_url", acceptUrl(secret));
            // Null without ganymede.hub.public-url, as JupyterHub's without public_url.
            model.put("full_accept_url", publicUrls.of(acceptUrl(secret)).orElse(null));
        }
        return model;
    }

    public static String acceptUrl(String code) {
        return "/hub/accept-share?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8);
    }

    /** One page of a query as JupyterHub's {@code items} and {@code _pagination}. */
    public <T> Object page(PanacheQuery<T> query, Function<T, Map<String, Object>> model, String offset, String limit,
            UriInfo uri) {
        Pages pages = Pages.alwaysWrapped(offset, limit);
        long total = query.count();
        List<Map<String, Object>> items = query.range(pages.offset(), pages.offset() + pages.limit() - 1).list()
                .stream().map(model).toList();
        return pages.body(items, total, uri);
    }
}
