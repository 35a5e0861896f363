package io.ganymede.hub.culler;

import static io.ganymede.hub.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * jupyterhub-idle-culler's calls, made the way it makes them (its {@code cull_idle}), while the
 * built-in culler runs passes too: {@code GET /info}, {@code GET /users?state=ready} with the
 * pagination Accept header following {@code _pagination.next}, {@code DELETE} of each idle server
 * (202: still stopping, 204: stopped), and with {@code --cull-users} {@code GET /users?state=inactive}
 * and {@code DELETE /users/{name}}.
 */
@QuarkusTest
@TestProfile(CullerProfile.class)
class IdleCullerClientTest {

    private static final String PAGINATION = "application/jupyterhub-pagination+json";

    @Inject
    IdleCuller builtIn;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theExternalCullersCallsWork() throws Exception {
        for (String name : List.of("xa", "xb", "xc")) {
            admin().post("/hub/api/users/" + name);
            admin().post("/hub/api/users/" + name + "/server").then().statusCode(201);
        }
        admin().post("/hub/api/users/xd");
        admin().post("/hub/api/users/xa/servers/lab").then().statusCode(201);
        builtIn.pass();

        JsonObject info = new JsonObject(call("GET", "/info", null).body());
        assertTrue(info.getString("version").startsWith("6."), info.encode());

        // Pages of 2, so the culler follows next urls the hub made.
        List<JsonObject> ready = paginated("/users?state=ready&limit=2");
        List<String> names = ready.stream().map(u -> u.getString("name")).toList();
        assertTrue(names.containsAll(List.of("xa", "xb", "xc")) && !names.contains("xd"), names.toString());
        int stopped = 0;
        for (JsonObject user : ready) {
            if (!user.getString("name").startsWith("x")) {
                continue;
            }
            JsonObject servers = user.getJsonObject("servers");
            for (String serverName : servers.fieldNames()) {
                JsonObject server = servers.getJsonObject(serverName);
                assertEquals(true, server.getBoolean("ready"), server.encode());
                assertTrue(server.getValue("pending") == null && server.getString("url") != null
                        && server.getString("started") != null && server.getString("last_activity") != null, server.encode());
                // As jupyterhub-idle-culler run with --timeout=0 would: every ready server is idle, DELETE it.
                String path = serverName.isEmpty() ? "/users/" + user.getString("name") + "/server"
                        : "/users/" + user.getString("name") + "/servers/" + serverName;
                HttpResponse<String> response = call("DELETE", path, serverName.isEmpty() ? null : "{\"remove\": true}");
                assertTrue(response.statusCode() == 204 || response.statusCode() == 202, response.statusCode() + " " + response.body());
                stopped++;
            }
        }
        assertEquals(4, stopped);
        builtIn.pass();
        assertTrue(paginated("/users?state=ready").stream().noneMatch(u -> u.getString("name").startsWith("x")));
        admin().get("/hub/api/users/xa").then().body("servers", org.hamcrest.Matchers.equalTo(Map.of()));

        // --cull-users: inactive users, then DELETE each.
        List<String> inactive = paginated("/users?state=inactive").stream().map(u -> u.getString("name")).toList();
        assertTrue(inactive.containsAll(List.of("xa", "xb", "xc", "xd")), inactive.toString());
        assertEquals(204, call("DELETE", "/users/xd", null).statusCode());
        admin().get("/hub/api/users/xd").then().statusCode(404);
    }

    /** fetch_paginated: the Accept header, items, then _pagination.next.url until null. */
    private List<JsonObject> paginated(String path) throws Exception {
        List<JsonObject> items = new ArrayList<>();
        String url = base() + path;
        int pages = 0;
        while (url != null) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "token " + Api.ADMIN_TOKEN).header("Accept", PAGINATION).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonObject body = new JsonObject(response.body());
            JsonArray page = body.getJsonArray("items");
            page.forEach(item -> items.add((JsonObject) item));
            JsonObject next = body.getJsonObject("_pagination").getJsonObject("next");
            url = next == null ? null : absolute(next.getString("url"));
            assertTrue(++pages < 50, "pagination does not end");
        }
        return items;
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "token " + Api.ADMIN_TOKEN)
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String base() {
        return "http://127.0.0.1:" + io.restassured.RestAssured.port + "/hub/api";
    }

    private static String absolute(String url) {
        return url.startsWith("http") ? url : "http://127.0.0.1:" + io.restassured.RestAssured.port + url;
    }
}
