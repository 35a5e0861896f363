package io.ganymede.hub.oauth;

import io.ganymede.hub.auth.Caller;
import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.auth.NextUrl;
import io.ganymede.hub.config.HubConfig;
import io.ganymede.hub.persistence.OAuthClientEntity;
import io.ganymede.hub.persistence.OAuthCodeEntity;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.Public;
import io.ganymede.hub.tokens.Secrets;
import io.ganymede.hub.tokens.TokenService;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth2 provider single-user servers log their users in with, as JupyterHub's
 * {@code /hub/api/oauth2}: authorization code grant, with PKCE when the server sends a challenge
 * (JupyterHub 6's do; {@link Pkce}), one client per server and per service, its secret being the
 * server's or service's API token. Access is decided here: a user reaches a server only with
 * {@code access:servers} on it, a service only with {@code access:services} on it.
 */
@Path("/hub/api/oauth2")
public class OAuthResource {

    /** Codes are exchanged within moments by the server; a short life limits a leaked one. */
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    /** As JupyterHub's default cookie and token lifetime. */
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(14);

    private final CurrentCaller caller;
    private final TokenService tokens;
    private final Clock clock;
    private final boolean requirePkce;

    OAuthResource(CurrentCaller caller, TokenService tokens, Clock clock, HubConfig config) {
        this.caller = caller;
        this.tokens = tokens;
        this.clock = clock;
        this.requirePkce = config.oauth().requirePkce();
    }

    @GET
    @Path("authorize")
    @Public
    @Transactional
    public Response authorize(@QueryParam("client_id") String clientId, @QueryParam("redirect_uri") String redirectUri,
            @QueryParam("response_type") String responseType, @QueryParam("state") String state,
            @QueryParam("code_challenge") String codeChallenge, @QueryParam("code_challenge_method") String challengeMethod,
            @Context UriInfo uri) {
        Caller who = AccessGrant.person(caller).orElse(null);
        if (who == null) {
            return Response.status(302).location(NextUrl.toLogin(uri.getRequestUri())).build();
        }
        OAuthClientEntity client = OAuthClientEntity.findByIdentifier(clientId == null ? "" : clientId)
                .orElseThrow(() -> new OAuthError(400, "invalid_client", "No such client: " + clientId));
        if (redirectUri != null && !redirectUri.equals(client.redirectUri)) {
            throw new OAuthError(400, "invalid_request", "Redirect URI does not match the client's");
        }
        if (!"code".equals(responseType)) {
            throw new OAuthError(400, "unsupported_response_type", "Only response_type=code is supported");
        }
        String pkceMethod = Pkce.method(codeChallenge, challengeMethod, requirePkce);
        checkAccess(who, client);
        String code = Secrets.newSecret();
        OAuthCodeEntity stored = new OAuthCodeEntity();
        stored.client = client;
        stored.user = UserEntity.findByName(who.name()).orElseThrow();
        stored.codeHash = Secrets.hash("", code);
        stored.redirectUri = client.redirectUri;
        stored.expiresAt = clock.instant().plus(CODE_LIFETIME);
        stored.codeChallenge = pkceMethod == null ? null : codeChallenge;
        stored.codeChallengeMethod = pkceMethod;
        stored.persist();
        // Built by hand: UriBuilder would read braces in the client's state as template parameters.
        String target = client.redirectUri + (client.redirectUri.contains("?") ? "&" : "?") + "code=" + code
                + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
        return Response.status(302).location(URI.create(target)).build();
    }

    @POST
    @Path("token")
    @Public
    @Transactional
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret,
            @FormParam("grant_type") String grantType, @FormParam("code") String code,
            @FormParam("redirect_uri") String redirectUri, @FormParam("code_verifier") String codeVerifier,
            @HeaderParam("Authorization") String authorization) {
        String[] basic = basicCredentials(authorization);
        String id = basic != null ? basic[0] : clientId == null ? "" : clientId;
        String secret = basic != null ? basic[1] : clientSecret;
        if (!"authorization_code".equals(grantType)) {
            throw new OAuthError(400, "unsupported_grant_type", "Only grant_type=authorization_code is supported");
        }
        OAuthClientEntity client = OAuthClientEntity.findByIdentifier(id)
                .filter(c -> secret != null && Secrets.matches(c.secretSalt, c.secretHash, secret))
                .orElseThrow(() -> new OAuthError(401, "invalid_client", "Client authentication failed"));
        OAuthCodeEntity grant = code == null ? null
                : OAuthCodeEntity.<OAuthCodeEntity>find("codeHash", Secrets.hash("", code)).firstResult();
        if (grant == null || !grant.client.id.equals(client.id)) {
            throw new OAuthError(400, "invalid_grant", "Invalid or used authorization code");
        }
        grant.delete();
        if (!clock.instant().isBefore(grant.expiresAt)) {
            throw new OAuthError(400, "invalid_grant", "Authorization code expired");
        }
        if (redirectUri != null && !redirectUri.equals(grant.redirectUri)) {
            throw new OAuthError(400, "invalid_grant", "Redirect URI does not match the authorization request");
        }
        Pkce.verify(grant.codeChallenge, grant.codeChallengeMethod, codeVerifier, requirePkce);
        TokenService.Issued issued = tokens.issue(grant.user, TokenEntity.Kind.oauth,
                client.allowedScopeList(), "OAuth token for " + client.identifier,
                TOKEN_LIFETIME, null, client.identifier);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.secret());
        body.put("token_type", "Bearer");
        body.put("expires_in", TOKEN_LIFETIME.toSeconds());
        body.put("scope", String.join(" ", client.allowedScopeList()));
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }

    /**
     * As JupyterHub's {@code access_scopes}: a server's client needs {@code access:servers} on that
     * server, a service's {@code access:services} on that service.
     */
    private static void checkAccess(Caller who, OAuthClientEntity client) {
        if (client.service != null) {
            AccessGrant.requireService(who, client.service.name);
        } else {
            AccessGrant.requireServer(who, client.server.user, client.server.name);
        }
    }

    /** {@code Authorization: Basic base64(id:secret)}, the other way OAuth clients authenticate. */
    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
