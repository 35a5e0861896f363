package io.ganymede.hub.services;

import io.ganymede.hub.persistence.OAuthClientEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.scopes.Scope;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One service as defined, checked: what {@code c.JupyterHub.services} and
 * {@code POST /hub/api/services/<name>} accept. Invalid definitions are refused here with a
 * message fit for a start-up error or a 400.
 *
 * @param oauthClientId the client id ({@code service-<name>} unless set)
 * @param oauthRedirectUri where logins return; null when the service has no OAuth client
 * @param oauthAllowedScopes what login tokens may carry besides access ({@code oauth_client_allowed_scopes})
 * @param oauthRoles roles whose scopes login tokens may carry, when no scopes are given (older name)
 * @param loginAtProxy the proxy admits only browsers with the hub's access cookie (an app without a login)
 */
public record ServiceDefinition(String name, String url, String apiToken, boolean admin, List<String> roles,
        String oauthClientId, String oauthRedirectUri, List<String> oauthAllowedScopes, List<String> oauthRoles,
        boolean oauthNoConfirm, boolean display, Map<String, Object> info, boolean loginAtProxy) {

    /**
     * Service names: a path segment and a DNS label's characters, so {@code /services/<name>/}
     * needs no escaping. JupyterHub checks less; names outside this are refused rather than
     * routed inconsistently.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62})");
    /** The keys JupyterHub's POST accepts (apihandlers/base.py {@code _service_model_types}). */
    private static final Set<String> API_KEYS = Set.of("name", "admin", "url", "oauth_client_allowed_scopes", "api_token",
            "info", "display", "oauth_no_confirm", "command", "cwd", "environment", "user", "oauth_client_id",
            "oauth_redirect_uri");

    /** A definition that cannot be used; the message says why. */
    public static final class InvalidServiceException extends IllegalArgumentException {
        InvalidServiceException(String message) {
            super(message);
        }
    }

    /** The path prefix of a service's route and pages: {@code /services/<name>/}. */
    public static String prefix(String name) {
        return "/services/" + name + "/";
    }

    /** Where the proxy sends a browser without an access cookie for a service with {@code login-at-proxy}. */
    public static String accessUrl(String name) {
        return "/hub/open-service/" + name;
    }

    public static String defaultClientId(String name) {
        return "service-" + name;
    }

    /** From {@code ganymede.services.<name>}. */
    public static ServiceDefinition fromConfig(String name, ServicesConfig.Spec spec) {
        boolean oauthSpecified = spec.oauthClientId().isPresent() || spec.oauthRedirectUri().isPresent() || spec.oauthNoConfirm();
        ServiceDefinition definition = checked(name, spec.url().orElse(null), spec.apiToken().orElse(null), spec.admin(),
                spec.roles().orElse(List.of()), spec.oauthClientId().orElse(null), spec.oauthRedirectUri().orElse(null),
                oauthSpecified, spec.oauthClientAllowedScopes().orElse(List.of()), spec.oauthRoles().orElse(List.of()),
                spec.oauthNoConfirm(), spec.display(), new LinkedHashMap<>(spec.info()));
        boolean managed = spec.app().isPresent();
        if (managed && definition.url() != null) {
            throw new InvalidServiceException("Service " + name + ": a managed app has no url (the hub sets it while the app runs)");
        }
        if (spec.loginAtProxy() && definition.url() == null && !managed) {
            throw new InvalidServiceException("Service " + name + ": login-at-proxy needs a url");
        }
        // A managed app has no login of its own: the proxy admits only browsers the hub let in.
        return spec.loginAtProxy() || managed ? definition.withLoginAtProxy() : definition;
    }

    /**
     * From the body of {@code POST /hub/api/services/<name>}, checked as JupyterHub checks it:
     * only its keys, each of its type; a {@code command} (a service for the hub to run) is refused.
     */
    @SuppressWarnings("unchecked")
    public static ServiceDefinition fromApi(String name, Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw new InvalidServiceException("Invalid service data");
        }
        for (String key : body.keySet()) {
            if (!API_KEYS.contains(key)) {
                throw new InvalidServiceException("Invalid JSON keys: " + key + " is not a service field");
            }
        }
        String url = string(body, "url");
        String token = string(body, "api_token");
        boolean admin = bool(body, "admin", false);
        String clientId = string(body, "oauth_client_id");
        String redirect = string(body, "oauth_redirect_uri");
        List<String> scopes = strings(body, "oauth_client_allowed_scopes");
        boolean noConfirm = bool(body, "oauth_no_confirm", false);
        boolean display = bool(body, "display", true);
        Object info = body.get("info");
        if (info != null && !(info instanceof Map)) {
            throw new InvalidServiceException("service.info must be an object");
        }
        string(body, "name");
        string(body, "cwd");
        string(body, "user");
        if (body.get("environment") != null && !(body.get("environment") instanceof Map)) {
            throw new InvalidServiceException("service.environment must be an object");
        }
        List<String> command = strings(body, "command");
        if (!command.isEmpty()) {
            throw new InvalidServiceException("Can not create managed service " + name + " at runtime");
        }
        boolean oauthSpecified = clientId != null || redirect != null || noConfirm;
        return checked(name, url, token, admin, List.of(), clientId, redirect, oauthSpecified, scopes, List.of(),
                noConfirm, display, info == null ? Map.of() : new LinkedHashMap<>((Map<String, Object>) info));
    }

    private static ServiceDefinition checked(String name, String url, String apiToken, boolean admin, List<String> roles,
            String clientId, String redirectUri, boolean oauthSpecified, List<String> allowedScopes, List<String> oauthRoles,
            boolean noConfirm, boolean display, Map<String, Object> info) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidServiceException("Invalid service name '" + name
                    + "': 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (url != null && url.isEmpty()) {
            url = null;
        }
        if (url != null) {
            checkUrl(name, url);
        }
        if (apiToken != null && apiToken.length() < 8) {
            throw new InvalidServiceException("Service " + name + ": api_token must have at least 8 characters");
        }
        String id = clientId == null ? defaultClientId(name) : clientId;
        if (!id.startsWith("service-")) {
            throw new InvalidServiceException("Service " + name + " has oauth_client_id='" + id
                    + "'. Service oauth client ids must start with 'service-'");
        }
        if (id.length() > OAuthClientEntity.IDENTIFIER_LENGTH) {
            throw new InvalidServiceException("Service " + name + ": oauth_client_id is longer than "
                    + OAuthClientEntity.IDENTIFIER_LENGTH + " characters");
        }
        String redirect = redirectUri;
        if (redirect == null && url != null) {
            redirect = prefix(name) + "oauth_callback";
        }
        if (redirect == null && oauthSpecified) {
            throw new InvalidServiceException("Service " + name
                    + " has oauth configured, but is missing required oauth_redirect_uri.");
        }
        if (redirect != null && redirect.length() > OAuthClientEntity.REDIRECT_URI_LENGTH) {
            throw new InvalidServiceException("Service " + name + ": oauth_redirect_uri is longer than "
                    + OAuthClientEntity.REDIRECT_URI_LENGTH + " characters");
        }
        List<String> scopes = new ArrayList<>();
        for (String scope : allowedScopes) {
            try {
                Scope.parse(scope);
            } catch (Scope.InvalidScopeException e) {
                throw new InvalidServiceException("Service " + name + ": " + e.getMessage());
            }
            // As JupyterHub: a bare !service in a login token's scopes is this service.
            scopes.add(scope.endsWith("!service") ? scope + "=" + name : scope);
        }
        return new ServiceDefinition(name, url, apiToken, admin, List.copyOf(roles), id, redirect, List.copyOf(scopes),
                List.copyOf(oauthRoles), noConfirm, display, info, false);
    }

    private ServiceDefinition withLoginAtProxy() {
        return new ServiceDefinition(name, url, apiToken, admin, roles, oauthClientId, oauthRedirectUri, oauthAllowedScopes,
                oauthRoles, oauthNoConfirm, display, info, true);
    }

    private static void checkUrl(String name, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidServiceException("Service " + name + ": url is not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new InvalidServiceException("Unsupported scheme in URL for service " + name + ": " + url + ". Must be http[s]");
        }
        if (url.length() > ServiceEntity.URL_LENGTH) {
            throw new InvalidServiceException("Service " + name + ": url is longer than " + ServiceEntity.URL_LENGTH + " characters");
        }
    }

    /** The service has an OAuth client: it has a redirect URI (its own or its URL's default). */
    public boolean oauth() {
        return oauthRedirectUri != null;
    }

    private static String string(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value != null && !(value instanceof String)) {
            throw new InvalidServiceException("service." + key + " must be a string");
        }
        return (String) value;
    }

    private static boolean bool(Map<String, Object> body, String key, boolean otherwise) {
        Object value = body.get(key);
        if (value != null && !(value instanceof Boolean)) {
            throw new InvalidServiceException("service." + key + " must be a boolean");
        }
        return value == null ? otherwise : (Boolean) value;
    }

    private static List<String> strings(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            throw new InvalidServiceException("service." + key + " must be a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }
}
