package io.ganymede.hub.auth.oidc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A scripted OpenID provider on 127.0.0.1 for the fast flow tests: discovery, JWKS and a token
 * endpoint whose answer the test chooses, recording what the client sent.
 */
final class FakeOidcProvider implements AutoCloseable {

    final RsaJsonWebKey key;
    private final HttpServer server;
    final AtomicInteger discoveries = new AtomicInteger();
    final AtomicInteger tokenRequests = new AtomicInteger();
    volatile Map<String, String> lastTokenForm = Map.of();
    volatile String lastAuthorization;
    volatile int discoveryStatus = 200;
    volatile String discoveredIssuer;
    volatile boolean endSession = true;
    /** Given the posted form, the token endpoint's status and JSON body. */
    volatile Function<Map<String, String>, Map.Entry<Integer, String>> tokenAnswer = form -> Map.entry(400, "{\"error\":\"invalid_grant\"}");

    // RSA key generation takes a noticeable fraction of a second; most tests can share one key.
    private static RsaJsonWebKey sharedKey;

    FakeOidcProvider() throws IOException, JoseException {
        this(shared());
    }

    /** A provider with a key of its own, to forge tokens that look like another provider's. */
    static FakeOidcProvider withOwnKey() throws IOException, JoseException {
        return new FakeOidcProvider(newKey());
    }

    private static synchronized RsaJsonWebKey shared() throws JoseException {
        if (sharedKey == null) {
            sharedKey = newKey();
        }
        return sharedKey;
    }

    private static RsaJsonWebKey newKey() throws JoseException {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("rsa-1");
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        return key;
    }

    private FakeOidcProvider(RsaJsonWebKey key) throws IOException {
        this.key = key;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        discoveredIssuer = issuer();
        server.createContext("/.well-known/openid-configuration", exchange -> {
            discoveries.incrementAndGet();
            JsonObject doc = new JsonObject()
                    .put("issuer", discoveredIssuer)
                    .put("authorization_endpoint", issuer() + "/authorize")
                    .put("token_endpoint", issuer() + "/token")
                    .put("jwks_uri", issuer() + "/jwks");
            if (endSession) {
                doc.put("end_session_endpoint", issuer() + "/logout");
            }
            respond(exchange, discoveryStatus, doc.encode());
        });
        server.createContext("/jwks", exchange -> respond(exchange, 200,
                new JsonWebKeySet(List.<JsonWebKey>of(key)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
        server.createContext("/token", exchange -> {
            tokenRequests.incrementAndGet();
            lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            lastTokenForm = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Map.Entry<Integer, String> answer = tokenAnswer.apply(lastTokenForm);
            respond(exchange, answer.getKey(), answer.getValue());
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** ID-token claims as a provider sends them for this client and login. */
    JwtClaims claims(String clientId, String nonce) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setAudience(clientId);
        claims.setSubject("user-1");
        claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 300));
        claims.setClaim("nonce", nonce);
        claims.setClaim("email", "Dana@Example.com");
        claims.setClaim("email_verified", true);
        claims.setStringListClaim("groups", "data-science");
        return claims;
    }

    String sign(JwtClaims claims) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
