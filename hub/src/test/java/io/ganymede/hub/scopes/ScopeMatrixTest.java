package io.ganymede.hub.scopes;

import static io.ganymede.hub.Api.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawn.ServerCredentials;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Authorization of every endpoint under {@code /hub/api} for every kind of caller, asserted
 * exactly, as JupyterHub 5 answers: 403 when no required scope is held (or no credentials), 404
 * when a scope is held only for other resources. Endpoints are found by reflection, so a new one
 * without a row here fails {@link #everyEndpointHasARow}. Each row runs against a fresh set of
 * users (each cell, for rows that delete), so one call does not disturb the next.
 *
 * <p>Callers: the target user T themself; another user O; an admin; T's server's own token
 * ({@code users:activity!user}, {@code access:servers!server}); an admin's token narrowed to
 * {@code read:users!user=T}; an admin's token narrowed to group G ({@code read:users!group=G},
 * {@code read:groups!group=G}), T being in G; no credentials.
 */
@QuarkusTest
class ScopeMatrixTest {

    /** 404 answered by the scope check itself (resource hidden), not by the endpoint. */
    private static final int HIDDEN = -404;
    /** Not executed: the admin's shutdown would stop the hub under test. */
    private static final int SKIP = 0;
    private static final String HIDDEN_MESSAGE = "No access to resources or resources not found";
    private static final String[] CALLERS = {"self", "other", "admin", "server", "narrow", "group", "none"};
    private static final AtomicInteger WORLDS = new AtomicInteger();

    @Inject
    ServerCredentials credentials;

    private record Row(String method, String template, String path, String body, int... expected) {
        String key() {
            return method + " " + template;
        }
    }

    /** One fresh set of users, tokens, a group and T's (stopped) server with its credentials. */
    private record World(int n, String t, String o, String g, Map<String, String> tokens, String spareTokenId,
            String clientId, String redirectUri) {}

    private static final List<Row> ROWS = List.of(
            row("GET", "/hub/api", "/hub/api", null, 200, 200, 200, 200, 200, 200, 200),
            row("GET", "/hub/api/info", "/hub/api/info", null, 403, 403, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/user", "/hub/api/user", null, 200, 200, 200, 200, 200, 200, 403),
            row("GET", "/hub/api/proxy", "/hub/api/proxy", null, 403, 403, 200, 403, 403, 403, 403),
            row("POST", "/hub/api/proxy", "/hub/api/proxy", null, 403, 403, 200, 403, 403, 403, 403),
            row("POST", "/hub/api/shutdown", "/hub/api/shutdown", null, 403, 403, SKIP, 403, 403, 403, 403),
            row("GET", "/hub/api/profiles", "/hub/api/profiles", null, 200, 200, 200, 200, 200, 200, 403),
            row("GET", "/hub/api/profiles/status", "/hub/api/profiles/status", null, 403, 403, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/users", "/hub/api/users", null, 403, 403, 200, 403, 403, 403, 403),
            row("POST", "/hub/api/users", "/hub/api/users", "{\"usernames\": [\"new{N}\"]}",
                    403, 403, 201, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}", "/hub/api/users/{T}", null, 200, HIDDEN, 200, 200, 200, 200, 403),
            row("POST", "/hub/api/users/{name}", "/hub/api/users/new{N}", null, 403, 403, 201, 403, 403, 403, 403),
            row("PATCH", "/hub/api/users/{name}", "/hub/api/users/{T}", "{\"admin\": false}",
                    403, 403, 200, 403, 403, 403, 403),
            row("DELETE", "/hub/api/users/{name}", "/hub/api/users/{T}", null, 403, 403, 204, 403, 403, 403, 403),
            row("POST", "/hub/api/users/{name}/activity", "/hub/api/users/{T}/activity",
                    "{\"last_activity\": \"{NOW}\"}", 200, HIDDEN, 200, 200, 403, 403, 403),
            // An unknown profile: the start is refused by the endpoint, so no server runs.
            row("POST", "/hub/api/users/{name}/server", "/hub/api/users/{T}/server", "{\"profile\": \"no-such\"}",
                    400, HIDDEN, 400, 403, 403, 403, 403),
            row("POST", "/hub/api/users/{name}/servers/{server_name}", "/hub/api/users/{T}/servers/gpu",
                    "{\"profile\": \"no-such\"}", 400, HIDDEN, 400, 403, 403, 403, 403),
            row("DELETE", "/hub/api/users/{name}/server", "/hub/api/users/{T}/server", null,
                    204, HIDDEN, 204, 403, 403, 403, 403),
            row("DELETE", "/hub/api/users/{name}/servers/{server_name}", "/hub/api/users/{T}/servers/gpu", null,
                    404, HIDDEN, 404, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/server/progress", "/hub/api/users/{T}/server/progress", null,
                    200, HIDDEN, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/servers/{server_name}/progress", "/hub/api/users/{T}/servers/gpu/progress",
                    null, 404, HIDDEN, 404, 403, 403, 403, 403),
            // JupyterHub 6.0's server endpoints: read:servers to read, start:servers to create and change.
            row("GET", "/hub/api/users/{name}/server", "/hub/api/users/{T}/server", null,
                    200, HIDDEN, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/servers/{server_name}", "/hub/api/users/{T}/servers/gpu", null,
                    404, HIDDEN, 404, 403, 403, 403, 403),
            row("PUT", "/hub/api/users/{name}/server", "/hub/api/users/{T}/server", null,
                    409, HIDDEN, 409, 403, 403, 403, 403),
            // A body the endpoint refuses: nothing is created, so every cell sees the same world.
            row("PUT", "/hub/api/users/{name}/servers/{server_name}", "/hub/api/users/{T}/servers/gpu",
                    "{\"user_options\": 5}", 400, HIDDEN, 400, 403, 403, 403, 403),
            row("PATCH", "/hub/api/users/{name}/server", "/hub/api/users/{T}/server", "{\"user_options\": {}}",
                    200, HIDDEN, 200, 403, 403, 403, 403),
            row("PATCH", "/hub/api/users/{name}/servers/{server_name}", "/hub/api/users/{T}/servers/gpu",
                    "{\"display_name\": \"GPU\"}", 404, HIDDEN, 404, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/tokens", "/hub/api/users/{T}/tokens", null,
                    200, HIDDEN, 200, 403, 403, 403, 403),
            // JupyterHub checks this one inside the handler: another user is a 403, never a 404.
            row("POST", "/hub/api/users/{name}/tokens", "/hub/api/users/{T}/tokens", "{}",
                    201, 403, 201, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/tokens/{token_id}", "/hub/api/users/{T}/tokens/{ID}", null,
                    200, HIDDEN, 200, 403, 403, 403, 403),
            row("DELETE", "/hub/api/users/{name}/tokens/{token_id}", "/hub/api/users/{T}/tokens/{ID}", null,
                    204, HIDDEN, 204, 403, 403, 403, 403),
            row("GET", "/hub/api/profiles/capacity", "/hub/api/profiles/capacity", null, 200, 200, 200, 200, 200, 200, 403),
            row("GET", "/hub/api/culler", "/hub/api/culler", null, 403, 403, 200, 403, 403, 403, 403),
            // Disks: the local spawner keeps none, so a named one is the endpoint's own 404.
            row("GET", "/hub/api/users/{name}/volumes", "/hub/api/users/{T}/volumes", null,
                    200, HIDDEN, 200, 403, 403, 403, 403),
            row("PATCH", "/hub/api/users/{name}/volumes/{volume}", "/hub/api/users/{T}/volumes/claim-x",
                    "{\"size\": \"20Gi\"}", 404, HIDDEN, 404, 403, 403, 403, 403),
            row("DELETE", "/hub/api/users/{name}/volumes/{volume}", "/hub/api/users/{T}/volumes/claim-x", null,
                    404, HIDDEN, 404, 403, 403, 403, 403),
            row("GET", "/hub/api/volumes", "/hub/api/volumes", null, 403, 403, 200, 403, 403, 403, 403),
            row("DELETE", "/hub/api/volumes/{namespace}/{volume}", "/hub/api/volumes/ganymede/claim-x", null,
                    403, 403, 404, 403, 403, 403, 403),
            // The stream stays open for whoever may read it: only the refusals are asserted here.
            row("GET", "/hub/api/users/{name}/notifications", "/hub/api/users/{T}/notifications", null,
                    SKIP, HIDDEN, SKIP, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/schedules", "/hub/api/users/{T}/schedules", null,
                    200, HIDDEN, 200, 403, 403, 403, 403),
            row("POST", "/hub/api/users/{name}/schedules", "/hub/api/users/{T}/schedules",
                    "{\"cron\": \"45 8 * * MON-FRI\", \"time_zone\": \"Asia/Tokyo\"}", 201, HIDDEN, 201, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/schedules/{id}", "/hub/api/users/{T}/schedules/no-such", null,
                    404, HIDDEN, 404, 403, 403, 403, 403),
            row("DELETE", "/hub/api/users/{name}/schedules/{id}", "/hub/api/users/{T}/schedules/no-such", null,
                    404, HIDDEN, 404, 403, 403, 403, 403),
            row("GET", "/hub/api/groups", "/hub/api/groups", null, 403, 403, 200, 403, 403, 403, 403),
            row("POST", "/hub/api/groups", "/hub/api/groups", "{\"groups\": [\"newg{N}\"]}",
                    403, 403, 201, 403, 403, 403, 403),
            row("GET", "/hub/api/groups/{group_name}", "/hub/api/groups/{G}", null, 403, 403, 200, 403, 403, 200, 403),
            row("POST", "/hub/api/groups/{group_name}", "/hub/api/groups/newg{N}", null,
                    403, 403, 201, 403, 403, 403, 403),
            row("DELETE", "/hub/api/groups/{group_name}", "/hub/api/groups/{G}", null, 403, 403, 204, 403, 403, 403, 403),
            row("POST", "/hub/api/groups/{group_name}/users", "/hub/api/groups/{G}/users", "{\"users\": [\"{O}\"]}",
                    403, 403, 200, 403, 403, 403, 403),
            row("DELETE", "/hub/api/groups/{group_name}/users", "/hub/api/groups/{G}/users", "{\"users\": [\"{T}\"]}",
                    403, 403, 200, 403, 403, 403, 403),
            row("PUT", "/hub/api/groups/{group_name}/properties", "/hub/api/groups/{G}/properties", "{\"a\": 1}",
                    403, 403, 200, 403, 403, 403, 403),
            // A group's schedules: read:groups to read (the group token has it for G), admin:groups to change.
            row("GET", "/hub/api/groups/{group_name}/schedules", "/hub/api/groups/{G}/schedules", null,
                    403, 403, 200, 403, 403, 200, 403),
            row("POST", "/hub/api/groups/{group_name}/schedules", "/hub/api/groups/{G}/schedules",
                    "{\"cron\": \"45 8 * * MON-FRI\", \"time_zone\": \"Asia/Tokyo\"}", 403, 403, 201, 403, 403, 403, 403),
            row("GET", "/hub/api/groups/{group_name}/schedules/{id}", "/hub/api/groups/{G}/schedules/no-such", null,
                    403, 403, 404, 403, 403, 404, 403),
            row("DELETE", "/hub/api/groups/{group_name}/schedules/{id}", "/hub/api/groups/{G}/schedules/no-such", null,
                    403, 403, 404, 403, 403, 403, 403),
            // Sharing: the user role reads its own shares and leaves shares, but shares nothing (that is
            // `shares`, from a role); admins read and revoke, and without admin-access cannot share.
            row("GET", "/hub/api/shares/{name}", "/hub/api/shares/{T}", null, 200, HIDDEN, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/shares/{name}/{server_name: [^/]+}", "/hub/api/shares/{T}/gpu", null, 404, HIDDEN, 404, 403, 403, 403, 403),
            row("POST", "/hub/api/shares/{name}", "/hub/api/shares/{T}/", "{\"user\": \"{O}\"}", 403, 403, 403, 403, 403, 403, 403),
            row("POST", "/hub/api/shares/{name}/{server_name: [^/]+}", "/hub/api/shares/{T}/gpu", "{\"user\": \"{O}\"}", 403, 403, 403, 403, 403, 403, 403),
            row("PATCH", "/hub/api/shares/{name}", "/hub/api/shares/{T}/", "{\"user\": \"{O}\"}", 403, 403, 403, 403, 403, 403, 403),
            row("PATCH", "/hub/api/shares/{name}/{server_name: [^/]+}", "/hub/api/shares/{T}/gpu", "{\"user\": \"{O}\"}", 403, 403, 403, 403, 403, 403, 403),
            row("DELETE", "/hub/api/shares/{name}", "/hub/api/shares/{T}/", null, 403, 403, 403, 403, 403, 403, 403),
            row("DELETE", "/hub/api/shares/{name}/{server_name: [^/]+}", "/hub/api/shares/{T}/gpu", null, 403, 403, 403, 403, 403, 403, 403),
            row("GET", "/hub/api/share-codes/{name}", "/hub/api/share-codes/{T}", null, 200, HIDDEN, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/share-codes/{name}/{server_name: [^/]+}", "/hub/api/share-codes/{T}/gpu", null, 404, HIDDEN, 404, 403, 403, 403, 403),
            row("POST", "/hub/api/share-codes/{name}", "/hub/api/share-codes/{T}/", null, 403, 403, 403, 403, 403, 403, 403),
            row("POST", "/hub/api/share-codes/{name}/{server_name: [^/]+}", "/hub/api/share-codes/{T}/gpu", null, 403, 403, 403, 403, 403, 403, 403),
            row("DELETE", "/hub/api/share-codes/{name}", "/hub/api/share-codes/{T}/", null, 403, 403, 403, 403, 403, 403, 403),
            row("DELETE", "/hub/api/share-codes/{name}/{server_name: [^/]+}", "/hub/api/share-codes/{T}/gpu", null, 403, 403, 403, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/shared", "/hub/api/users/{T}/shared", null, 200, HIDDEN, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/shared/{owner}", "/hub/api/users/{T}/shared/{O}/", null, 404, HIDDEN, 404, 403, 403, 403, 403),
            row("GET", "/hub/api/users/{name}/shared/{owner}/{server_name: [^/]+}", "/hub/api/users/{T}/shared/{O}/gpu", null, 404, HIDDEN, 404, 403, 403, 403, 403),
            row("DELETE", "/hub/api/users/{name}/shared/{owner}", "/hub/api/users/{T}/shared/{O}/", null, 404, HIDDEN, 404, 403, 403, 403, 403),
            row("DELETE", "/hub/api/users/{name}/shared/{owner}/{server_name: [^/]+}", "/hub/api/users/{T}/shared/{O}/gpu", null, 404, HIDDEN, 404, 403, 403, 403, 403),
            row("GET", "/hub/api/groups/{group_name}/shared", "/hub/api/groups/{G}/shared", null, 403, 403, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/groups/{group_name}/shared/{owner}", "/hub/api/groups/{G}/shared/{O}/", null, 403, 403, 404, 403, 403, 403, 403),
            row("GET", "/hub/api/groups/{group_name}/shared/{owner}/{server_name: [^/]+}", "/hub/api/groups/{G}/shared/{O}/gpu", null, 403, 403, 404, 403, 403, 403, 403),
            row("DELETE", "/hub/api/groups/{group_name}/shared/{owner}", "/hub/api/groups/{G}/shared/{O}/", null, 403, 403, 404, 403, 403, 403, 403),
            row("DELETE", "/hub/api/groups/{group_name}/shared/{owner}/{server_name: [^/]+}", "/hub/api/groups/{G}/shared/{O}/gpu", null, 403, 403, 404, 403, 403, 403, 403),
            // Services: only admins (admin:services, list:services, read:services) reach them.
            row("GET", "/hub/api/services", "/hub/api/services", null, 403, 403, 200, 403, 403, 403, 403),
            row("GET", "/hub/api/services/{service_name}", "/hub/api/services/no-such", null, 403, 403, 404, 403, 403, 403, 403),
            row("POST", "/hub/api/services/{service_name}", "/hub/api/services/svc{N}", "{\"display\": false}",
                    403, 403, 201, 403, 403, 403, 403),
            row("DELETE", "/hub/api/services/{service_name}", "/hub/api/services/no-such", null, 403, 403, 404, 403, 403, 403, 403),
            // A managed app's run: admin:services stops it; its progress needs access:services (the admin holds it).
            row("DELETE", "/hub/api/services/{service_name}/app", "/hub/api/services/no-such/app", null, 403, 403, 404, 403, 403, 403, 403),
            row("GET", "/hub/api/services/{service_name}/app/progress", "/hub/api/services/no-such/app/progress", null,
                    403, 403, 404, 403, 403, 403, 403),
            // Usage: read:users:activity on the user asked about (every user holds it on themself).
            row("GET", "/hub/api/usage", "/hub/api/usage?user={T}", null, 200, 403, 200, 200, 200, 200, 403),
            // Reservations: read:groups to read, admin:groups to write; with the local spawner
            // there are no GPUs to reserve, so the admin's request is the endpoint's own 400.
            row("GET", "/hub/api/reservations", "/hub/api/reservations", null, 403, 403, 200, 403, 403, 200, 403),
            row("GET", "/hub/api/reservations/{id}", "/hub/api/reservations/no-such", null, 403, 403, 404, 403, 403, 404, 403),
            row("POST", "/hub/api/reservations", "/hub/api/reservations",
                    "{\"group\": \"{G}\", \"gpu\": \"nvidia-tesla-t4\", \"gpus\": 1, \"start\": \"2030-01-01T09:00:00Z\", \"end\": \"2030-01-01T17:00:00Z\"}",
                    403, 403, 400, 403, 403, 403, 403),
            row("DELETE", "/hub/api/reservations/{id}", "/hub/api/reservations/no-such", null, 403, 403, 404, 403, 403, 403, 403),
            // The proxy's token check of a gated route: access:servers on T's default server, held by
            // T and T's server token; admins only with admin-access, which is off. The answer is the
            // endpoint's own 403 (never a hidden 404), as the proxy relays it.
            row("GET", "/hub/api/routes/access", "/hub/api/routes/access?path=/user/{T}", null,
                    200, 403, 403, 200, 403, 403, 403),
            // access:servers on T's server: T (and T's own server token) get a code; others a 403,
            // admins too, since admin-access is off; no credentials: to the login page.
            row("GET", "/hub/api/oauth2/authorize", "/hub/api/oauth2/authorize?client_id={C}&redirect_uri={R}&response_type=code",
                    null, 302, 403, 403, 302, 403, 403, 302),
            row("POST", "/hub/api/oauth2/token", "/hub/api/oauth2/token", "grant_type=password",
                    400, 400, 400, 400, 400, 400, 400));

    /** Rows whose allowed calls remove what the next caller's call needs: a fresh world for each caller. */
    private static final java.util.Set<String> DESTRUCTIVE = java.util.Set.of(
            "DELETE /hub/api/users/{name}", "DELETE /hub/api/users/{name}/tokens/{token_id}",
            "DELETE /hub/api/groups/{group_name}", "DELETE /hub/api/groups/{group_name}/users");

    private static Row row(String method, String template, String path, String body, int... expected) {
        if (expected.length != CALLERS.length) {
            throw new IllegalArgumentException(template + ": one expectation per caller");
        }
        return new Row(method, template, path, body, expected);
    }

    @Test
    void everyEndpointHasARow() throws Exception {
        TreeSet<String> endpoints = discoverEndpoints();
        TreeSet<String> rows = new TreeSet<>();
        ROWS.forEach(r -> rows.add(r.key()));
        assertTrue(endpoints.size() >= 30, "found the API: " + endpoints);
        assertEquals(endpoints, rows, "every /hub/api endpoint needs a row in ScopeMatrixTest, and no row may be stale");
    }

    @Test
    void everyEndpointForEveryCaller() {
        List<String> wrong = new ArrayList<>();
        for (Row row : ROWS) {
            World shared = world();
            for (int c = 0; c < CALLERS.length; c++) {
                int expected = row.expected()[c];
                if (expected == SKIP) {
                    continue;
                }
                World world = DESTRUCTIVE.contains(row.key()) ? world() : shared;
                Response response = call(row, world, CALLERS[c]);
                String message = response.getContentType() != null && response.getContentType().contains("json")
                        && !response.asString().startsWith("[") ? response.jsonPath().getString("message") : null;
                boolean ok = expected == HIDDEN
                        ? response.statusCode() == 404 && HIDDEN_MESSAGE.equals(message)
                        : response.statusCode() == expected && !(expected == 404 && HIDDEN_MESSAGE.equals(message));
                if (!ok) {
                    wrong.add(row.key() + " as " + CALLERS[c] + ": expected " + (expected == HIDDEN ? "hidden 404" : expected)
                            + ", got " + response.statusCode() + " " + message);
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void groupFilterCoversMembersOnly() {
        World world = world();
        String token = world.tokens().get("group");
        as(token).get("/hub/api/users/" + world.t()).then().statusCode(200);
        as(token).get("/hub/api/users/" + world.o()).then().statusCode(404);
        as(token).get("/hub/api/groups/" + world.g()).then().statusCode(200);
        admin().post("/hub/api/groups/elsewhere" + world.n()).then().statusCode(201);
        as(token).get("/hub/api/groups/elsewhere" + world.n()).then().statusCode(404);
        // Membership is read at each request: once T leaves G, the token no longer reaches T.
        admin().body(Map.of("users", List.of(world.t()))).delete("/hub/api/groups/" + world.g() + "/users")
                .then().statusCode(200);
        as(token).get("/hub/api/users/" + world.t()).then().statusCode(404);
        // A narrowed token never exceeds its scope, whatever its owner may do.
        as(world.tokens().get("narrow")).get("/hub/api/users/" + world.o()).then().statusCode(404);
        as(world.tokens().get("narrow")).delete("/hub/api/users/" + world.t()).then().statusCode(403);
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "token " + token).contentType(ContentType.JSON);
    }

    private Response call(Row row, World w, String caller) {
        String path = fill(row.path(), w);
        RequestSpecification request = given().redirects().follow(false);
        String token = w.tokens().get(caller);
        if (token != null) {
            request.header("Authorization", "token " + token);
        }
        if (row.template().equals("/hub/api/oauth2/token")) {
            request.contentType(ContentType.URLENC).body(row.body());
        } else if (row.body() != null) {
            request.contentType(ContentType.JSON).body(fill(row.body(), w));
        }
        return request.request(row.method(), path);
    }

    private static String fill(String text, World w) {
        return text.replace("{T}", w.t()).replace("{O}", w.o()).replace("{G}", w.g()).replace("{N}", "" + w.n())
                .replace("{NOW}", java.time.Instant.now().toString()).replace("{ID}", w.spareTokenId()).replace("{C}", w.clientId()).replace("{R}", w.redirectUri());
    }

    private World world() {
        int n = WORLDS.incrementAndGet();
        String t = "t" + n;
        String o = "o" + n;
        String a = "a" + n;
        String g = "g" + n;
        admin().body(Map.of("usernames", List.of(t, o))).post("/hub/api/users").then().statusCode(201);
        admin().body(Map.of("admin", true)).post("/hub/api/users/" + a).then().statusCode(201);
        admin().body(Map.of("users", List.of(t))).post("/hub/api/groups/" + g).then().statusCode(201);
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("self", token(t, Map.of()));
        tokens.put("other", token(o, Map.of()));
        tokens.put("admin", token(a, Map.of()));
        tokens.put("narrow", token(a, Map.of("scopes", List.of("read:users!user=" + t))));
        tokens.put("group", token(a, Map.of("scopes", List.of("read:users!group=" + g, "read:groups!group=" + g))));
        String spare = admin().body(Map.of("note", "spare")).post("/hub/api/users/" + t + "/tokens")
                .then().statusCode(201).extract().path("id");
        tokens.put("server", QuarkusTransaction.requiringNew().call(() -> {
            ServerEntity server = new ServerEntity();
            server.user = UserEntity.findByName(t).orElseThrow();
            server.name = "";
            server.persist();
            return credentials.issue(server);
        }));
        return new World(n, t, o, g, tokens, spare, "jupyterhub-user-" + t, "/user/" + t + "/oauth_callback");
    }

    private static String token(String user, Map<String, Object> body) {
        return admin().body(body).post("/hub/api/users/" + user + "/tokens").then().statusCode(201).extract().path("token");
    }

    /** {@code METHOD /path} of every JAX-RS method under /hub/api in the hub's classes. */
    private static TreeSet<String> discoverEndpoints() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path root = Paths.get(io.ganymede.hub.api.VersionResource.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        List<String> classNames;
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            classNames = files.map(p -> root.relativize(p).toString())
                    .filter(p -> p.endsWith(".class") && !p.contains("$"))
                    .map(p -> p.substring(0, p.length() - 6).replace('/', '.')).toList();
        }
        TreeSet<String> endpoints = new TreeSet<>();
        for (String name : classNames) {
            Class<?> type = Class.forName(name, false, ScopeMatrixTest.class.getClassLoader());
            Path base = type.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = join(base.value(), sub == null ? "" : sub.value());
                if (path.equals("/hub/api") || path.startsWith("/hub/api/")) {
                    endpoints.add(verb + " " + path);
                }
            }
        }
        return endpoints;
    }

    private static String verb(Method method) {
        for (Class<? extends Annotation> verb : List.of(GET.class, POST.class, PUT.class, PATCH.class, DELETE.class)) {
            if (method.isAnnotationPresent(verb)) {
                return verb.getSimpleName();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
