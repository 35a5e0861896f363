package io.ganymede.hub.auth.oidc;

import io.ganymede.hub.oauth.Pkce;

import io.ganymede.hub.auth.AccessDeniedException;
import io.ganymede.hub.auth.AuthConfig;
import io.ganymede.hub.auth.AuthenticationFailedException;
import io.ganymede.hub.auth.Identity;
import io.ganymede.hub.auth.NextUrl;
import io.ganymede.hub.auth.jwks.JwksKeyCache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The OpenID Connect authorization-code flow with PKCE, for Google or Keycloak, as a service: the
 * hub core owns {@code /hub/login}, {@code /hub/oauth_callback}, {@code /hub/logout} and the cookies.
 *
 * <ol>
 *   <li>{@code /hub/login}: {@link #begin} gives the provider URL to redirect to and a state to put
 *       in a cookie.
 *   <li>{@code /hub/oauth_callback}: {@link #complete} with the query's {@code state}, {@code code}
 *       and {@code error} and the cookie's state; it exchanges the code, verifies the ID token and
 *       gives the {@link Identity}.
 *   <li>{@code /hub/logout}: after clearing the hub's session, {@link #logoutUrl} gives the
 *       provider's end-session URL, if it has one, to sign out there too.
 * </ol>
 *
 * <p>The provider's discovery document is read at first use and kept; a failed read is retried on
 * the next login.
 */
@ApplicationScoped
public class OidcCodeFlow {

    private static final long HTTP_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_PENDING_LOGINS = 10_000;
    private static final Duration JWKS_MIN_REFRESH = Duration.ofSeconds(30);
    private static final Duration JWKS_MAX_AGE = Duration.ofHours(1);

    private final OidcSettings settings;
    private final WebClient client;
    private final Clock clock;
    private final PendingLogins pending;
    private final SecureRandom random = new SecureRandom();
    private CompletableFuture<Provider> provider; // guarded by this

    private record Provider(ProviderMetadata metadata, IdTokenVerifier verifier) {}

    @Inject
    public OidcCodeFlow(AuthConfig config, Vertx vertx) {
        this(OidcSettings.from(config), WebClient.create(vertx), Clock.systemUTC());
    }

    public OidcCodeFlow(OidcSettings settings, WebClient client, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
        this.pending = new PendingLogins(settings.loginTimeout(), MAX_PENDING_LOGINS, clock);
    }

    /**
     * Starts a login.
     *
     * @param next where the user wanted to go, a hub-relative path; anything else (an absolute or
     *     protocol-relative URL) is dropped, so the login cannot be used as an open redirect
     */
    public Uni<LoginRedirect> begin(String next) {
        return provider().map(p -> {
            String state = randomToken();
            String nonce = randomToken();
            String verifier = randomToken();
            pending.add(state, nonce, verifier, NextUrl.validated(next, null));
            Map<String, String> query = new LinkedHashMap<>();
            query.put("response_type", "code");
            query.put("client_id", settings.clientId());
            query.put("redirect_uri", settings.callbackUrl());
            query.put("scope", String.join(" ", settings.scopes()));
            query.put("state", state);
            query.put("nonce", nonce);
            query.put("code_challenge", Pkce.s256(verifier));
            query.put("code_challenge_method", "S256");
            return new LoginRedirect(withQuery(p.metadata().authorizationEndpoint(), query), state);
        });
    }

    /**
     * Finishes a login at the callback.
     *
     * @param state the callback's {@code state} query parameter
     * @param code the callback's {@code code} query parameter
     * @param error the callback's {@code error} query parameter, or {@code null}
     * @param stateCookie the state stored in this browser's cookie by the hub at {@link #begin}
     * @return the result, or a failure with {@link AuthenticationFailedException} (401: the login
     *     failed, was forged, replayed or expired; show a "sign in again" page) or
     *     {@link AccessDeniedException} (403: a verified user the allow-lists refuse)
     */
    public Uni<LoginResult> complete(String state, String code, String error, String stateCookie) {
        if (state == null || stateCookie == null || !MessageDigest.isEqual(
                state.getBytes(StandardCharsets.UTF_8), stateCookie.getBytes(StandardCharsets.UTF_8))) {
            return Uni.createFrom().failure(new AuthenticationFailedException("login state does not match this browser"));
        }
        Optional<PendingLogins.Pending> started = pending.take(state);
        if (started.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unknown, used or expired login state"));
        }
        if (error != null && !error.isBlank()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the provider refused the login: " + error));
        }
        if (code == null || code.isBlank()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the callback carries no code"));
        }
        PendingLogins.Pending login = started.get();
        return provider().flatMap(p -> exchange(p.metadata(), code, login.codeVerifier())
                .flatMap(idToken -> p.verifier().verify(idToken, login.nonce())
                        .map(claims -> {
                            Identity identity = OidcClaimsMapper.identity(
                                    claims, settings.usernameClaim(), settings.groupsClaim());
                            settings.accessPolicy().check(identity, OidcClaimsMapper.hostedDomain(claims));
                            return new LoginResult(identity, login.next(), idToken);
                        })));
    }

    /**
     * The provider's end-session URL, or empty when it has none (Google).
     *
     * @param idTokenHint the ID token from {@link LoginResult#idToken}, or {@code null}
     * @param postLogoutRedirectUri where the provider should send the browser afterwards (must be
     *     registered at the provider), or {@code null}
     */
    public Uni<Optional<URI>> logoutUrl(String idTokenHint, String postLogoutRedirectUri) {
        return provider().map(p -> {
            String endpoint = p.metadata().endSessionEndpoint();
            if (endpoint == null) {
                return Optional.empty();
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("client_id", settings.clientId());
            if (idTokenHint != null) {
                query.put("id_token_hint", idTokenHint);
            }
            if (postLogoutRedirectUri != null) {
                query.put("post_logout_redirect_uri", postLogoutRedirectUri);
            }
            return Optional.of(withQuery(endpoint, query));
        });
    }

    private Uni<Provider> provider() {
        return Uni.createFrom().completionStage(this::providerStage);
    }

    private synchronized CompletableFuture<Provider> providerStage() {
        if (provider == null || provider.isCompletedExceptionally()) {
            if (settings.issuer() == null || settings.clientId() == null) {
                throw new IllegalStateException("ganymede.auth.oidc.issuer and client-id must be set");
            }
            String issuer = settings.issuer();
            String url = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                    + "/.well-known/openid-configuration";
            provider = client.getAbs(url).timeout(HTTP_TIMEOUT_MILLIS).send().toCompletionStage()
                    .thenApply(response -> discovered(url, response)).toCompletableFuture();
        }
        return provider;
    }

    private Provider discovered(String url, HttpResponse<Buffer> response) {
        if (response.statusCode() != 200) {
            throw new AuthenticationFailedException("OpenID discovery at " + url + " answered HTTP " + response.statusCode());
        }
        ProviderMetadata metadata;
        try {
            metadata = ProviderMetadata.parse(response.bodyAsJsonObject());
        } catch (RuntimeException e) {
            throw new AuthenticationFailedException("OpenID discovery at " + url + " is unusable: " + e.getMessage());
        }
        // OpenID Connect Discovery 4.3: the document must name exactly the issuer we asked.
        if (!metadata.issuer().equals(settings.issuer())) {
            throw new AuthenticationFailedException(
                    "OpenID discovery names issuer " + metadata.issuer() + ", not " + settings.issuer());
        }
        JwksKeyCache keys = new JwksKeyCache(client, metadata.jwksUri(), JWKS_MIN_REFRESH, JWKS_MAX_AGE, clock);
        return new Provider(metadata,
                new IdTokenVerifier(keys, metadata.issuer(), settings.clientId(), settings.clockSkew(), clock));
    }

    private Uni<String> exchange(ProviderMetadata metadata, String code, String codeVerifier) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "authorization_code")
                .add("code", code)
                .add("redirect_uri", settings.callbackUrl())
                .add("code_verifier", codeVerifier);
        HttpRequest<Buffer> request = client.postAbs(metadata.tokenEndpoint())
                .timeout(HTTP_TIMEOUT_MILLIS)
                .putHeader("Accept", "application/json");
        if (settings.clientSecret() != null) {
            // RFC 6749 2.3.1: both parts are form-encoded before they go into the Basic header.
            request.basicAuthentication(formEncode(settings.clientId()), formEncode(settings.clientSecret()));
        } else {
            form.add("client_id", settings.clientId());
        }
        return Uni.createFrom().completionStage(() -> request.sendForm(form).toCompletionStage())
                .onFailure().transform(e -> new AuthenticationFailedException("token endpoint unreachable: " + e.getMessage(), e))
                .map(OidcCodeFlow::idToken);
    }

    private static String idToken(HttpResponse<Buffer> response) {
        JsonObject body;
        try {
            body = response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        if (response.statusCode() != 200) {
            String error = body == null ? null : body.getString("error");
            throw new AuthenticationFailedException("token endpoint refused the code: HTTP " + response.statusCode()
                    + (error == null ? "" : " " + error));
        }
        Object idToken = body == null ? null : body.getValue("id_token");
        if (!(idToken instanceof String token)) {
            throw new AuthenticationFailedException("token endpoint returned no ID token");
        }
        return token;
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static URI withQuery(String endpoint, Map<String, String> query) {
        String encoded = query.entrySet().stream()
                .map(e -> formEncode(e.getKey()) + "=" + formEncode(e.getValue()))
                .collect(Collectors.joining("&"));
        return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + encoded);
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
