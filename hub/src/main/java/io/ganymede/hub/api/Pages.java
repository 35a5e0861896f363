package io.ganymede.hub.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JupyterHub's list pagination: {@code offset}/{@code limit} parameters, and with
 * {@code Accept: application/jupyterhub-pagination+json} a body of {@code items} and
 * {@code _pagination}. Without that header the items alone are returned, still limited.
 */
public record Pages(int offset, int limit, boolean wrapped) {

    public static final String MEDIA_TYPE = "application/jupyterhub-pagination+json";
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 200;

    public static Pages of(Integer offset, Integer limit, HttpHeaders headers) {
        if (offset != null && offset < 0) {
            throw ApiException.badRequest("offset must be non-negative, not " + offset);
        }
        if (limit != null && limit < 0) {
            throw ApiException.badRequest("limit must be non-negative, not " + limit);
        }
        int effective = limit == null || limit == 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        return new Pages(offset == null ? 0 : offset, effective, accept != null && accept.contains(MEDIA_TYPE));
    }

    public Object body(List<?> items, long total, UriInfo uri) {
        if (!wrapped) {
            return items;
        }
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("offset", offset);
        pagination.put("limit", limit);
        pagination.put("total", total);
        long nextOffset = (long) offset + limit;
        if (nextOffset < total) {
            Map<String, Object> next = new LinkedHashMap<>();
            next.put("offset", nextOffset);
            next.put("limit", limit);
            next.put("url", uri.getRequestUriBuilder().replaceQueryParam("offset", nextOffset)
                    .replaceQueryParam("limit", limit).build().toString());
            pagination.put("next", next);
        } else {
            pagination.put("next", null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("_pagination", pagination);
        return body;
    }
}
