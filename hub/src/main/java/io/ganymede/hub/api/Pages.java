package io.ganymede.hub.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JupyterHub's list pagination: {@code offset}/{@code limit} parameters, and with
 * {@code Accept: application/jupyterhub-pagination+json} a body of {@code items} and
 * {@code _pagination}. Without that header the items alone are returned, still limited. As
 * JupyterHub's {@code get_api_pagination}: signs are dropped, the limit is kept within 1..200,
 * and the default page is 100 with the header and 200 without (fewer clients miss users).
 */
public record Pages(int offset, int limit, boolean wrapped) {

    public static final String MEDIA_TYPE = "application/jupyterhub-pagination+json";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 200;

    /** Parameters as strings: a non-number must be JupyterHub's 400, not JAX-RS's 404. */
    public static Pages of(String offset, String limit, HttpHeaders headers) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        return of(offset, limit, accept != null && accept.contains(MEDIA_TYPE));
    }

    /** For the lists JupyterHub only ever returns paginated (shares, share codes), whatever the client accepts. */
    public static Pages alwaysWrapped(String offset, String limit) {
        return of(offset, limit, true);
    }

    private static Pages of(String offset, String limit, boolean wrapped) {
        int first = offset == null ? 0 : number(offset);
        int size = limit == null ? (wrapped ? DEFAULT_LIMIT : MAX_LIMIT) : number(limit);
        return new Pages(first, Math.max(1, Math.min(size, MAX_LIMIT)), wrapped);
    }

    private static int number(String value) {
        try {
            long parsed = Math.abs(Long.parseLong(value.strip()));
            // Capped so that offset + limit never overflows an int.
            return parsed < 0 || parsed > Integer.MAX_VALUE - MAX_LIMIT ? Integer.MAX_VALUE - MAX_LIMIT : (int) parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid argument type, offset and limit must be integers");
        }
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
