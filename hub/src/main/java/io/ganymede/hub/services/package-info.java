/**
 * JupyterHub's services: applications beside the hub (an experiment dashboard, an idle culler, a
 * team's tool) declared in the hub's configuration ({@code ganymede.services.<name>}, as
 * {@code c.JupyterHub.services} and z2jh's {@code hub.services}) or created through
 * {@code POST /hub/api/services/<name>} (JupyterHub 5.0).
 *
 * <p>A service may have a URL, which the proxy serves at {@code /services/<name>/} (routes kept by
 * {@link io.ganymede.hub.proxy.ProxySync}); an API token ({@code api_token}), with which it calls
 * the hub's API holding its roles' scopes; and an OAuth client ({@code service-<name>}, its secret
 * being that token), through which it logs people in: a person gets in only with
 * {@code access:services!service=<name>}, and the token the service receives carries that and its
 * {@code oauth_client_allowed_scopes} as far as the person holds them. JupyterHub's
 * {@code jupyterhub.services.auth.HubOAuth} works against it unchanged. An app without a login of
 * its own ({@code login-at-proxy}) is guarded by the proxy instead: it admits browsers holding the
 * access cookie {@link io.ganymede.hub.oauth.ServiceAccessResource} gives people with that scope.
 *
 * <p>{@link ServiceDefinition} reads and checks a definition (from configuration or the API),
 * {@link Services} keeps them in the database with their tokens and OAuth clients, and
 * {@link AppStates} reads a managed team app's run ({@code service_apps}) for the pages and the
 * API.
 */
package io.ganymede.hub.services;
