package io.ganymede.hub.auth;

import io.ganymede.hub.scopes.Permissions;
import java.util.Set;

/**
 * Who made the current request and what they may do: a user (through a token or the hub's
 * login cookie) or a service (the admin token from configuration).
 *
 * @param name user or service name
 * @param service true for the configured admin service token
 * @param permissions expanded scopes, already narrowed to what both the token and its owner hold
 * @param tokenId the token used, or null
 * @param viaCookie true when authenticated by something the browser sends on its own: the login
 *     cookie, or IAP's assertion on a request without an {@code Authorization} header, which IAP
 *     made from its cookie (changes then need XSRF)
 */
public record Caller(String name, boolean service, boolean admin, Set<String> groups,
        Permissions permissions, Long tokenId, boolean viaCookie) {

    public String kind() {
        return service ? "service" : "user";
    }
}
