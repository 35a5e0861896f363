package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganymede.hub.Api;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Public;
import io.ganymede.hub.scopes.ScopeDefinitions;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description at {@code /q/openapi} (written by hand in
 * {@code META-INF/openapi.yaml}) held to the code: every JAX-RS method under {@code /hub/api} is
 * described, with the scopes its {@link NeedsScope} names, nothing is described that is not
 * served, the models carry JupyterHub's fields, and the fields the hub really sends are all
 * described. The end-to-end SchemathesisTest then fuzzes a running hub from it.
 */
@QuarkusTest
class OpenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.nio.file.Path CLASSES = java.nio.file.Path.of("target/classes");

    private static JsonNode spec;

    /** Once, but from an instance: the hub (and RestAssured's port) is only up by then. */
    @BeforeEach
    void fetch() throws IOException {
        if (spec != null) {
            return;
        }
        String body = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString();
        spec = JSON.readTree(body);
    }

    @Test
    void isServedAsOpenApi31InBothFormats() {
        assertTrue(spec.path("openapi").asText().startsWith("3.1"), spec.path("openapi").asText());
        assertFalse(spec.path("info").path("title").asText().isEmpty());
        given().get("/q/openapi").then().statusCode(200).contentType("application/yaml")
                .body(org.hamcrest.Matchers.containsString("/hub/api/users/{name}/servers/{server_name}:"));
    }

    @Test
    void describesExactlyTheOperationsTheHubServesUnderTheApi() throws Exception {
        Set<String> served = new TreeSet<>(endpoints().keySet());
        Set<String> described = new TreeSet<>(operations().keySet());
        Set<String> undescribed = new TreeSet<>(served);
        undescribed.removeAll(described);
        Set<String> notServed = new TreeSet<>(described);
        notServed.removeAll(served);
        assertTrue(undescribed.isEmpty(), "served but not in META-INF/openapi.yaml: " + undescribed);
        assertTrue(notServed.isEmpty(), "in META-INF/openapi.yaml but not served: " + notServed);
        assertTrue(served.size() > 40, "found only " + served);
    }

    /** JupyterHub's convention: any one of an operation's scopes is enough, as with @NeedsScope. */
    @Test
    void eachOperationNeedsTheScopesItsMethodDeclares() throws Exception {
        Map<String, JsonNode> operations = operations();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Method> endpoint : endpoints().entrySet()) {
            JsonNode operation = operations.get(endpoint.getKey());
            if (operation == null) {
                continue; // describesExactlyTheOperationsTheHubServesUnderTheApi says so
            }
            JsonNode security = operation.has("security") ? operation.get("security") : spec.path("security");
            Method method = endpoint.getValue();
            if (method.isAnnotationPresent(Public.class)) {
                if (!security.isArray() || !security.isEmpty()) {
                    wrong.add(endpoint.getKey() + " is public: security must be []");
                }
                continue;
            }
            NeedsScope needs = method.getAnnotation(NeedsScope.class);
            Set<String> declared = new TreeSet<>(List.of(needs.value()));
            Map<String, Set<String>> byScheme = new TreeMap<>();
            for (JsonNode requirement : security) {
                if (requirement.size() != 1) {
                    wrong.add(endpoint.getKey() + ": one scheme per requirement, " + requirement);
                    continue;
                }
                Map.Entry<String, JsonNode> scheme = requirement.fields().next();
                if (scheme.getValue().size() > 1) {
                    wrong.add(endpoint.getKey() + ": several scopes in one requirement would all be needed, " + requirement);
                }
                Set<String> scopes = byScheme.computeIfAbsent(scheme.getKey(), k -> new TreeSet<>());
                scheme.getValue().forEach(s -> scopes.add(s.asText()));
            }
            Map<String, Set<String>> expected = Map.of("oauth2", declared, "token", declared);
            if (!byScheme.equals(new TreeMap<>(expected))) {
                wrong.add(endpoint.getKey() + ": @NeedsScope " + declared + ", described " + byScheme);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void scopesAreJupyterHubsAndEveryScopeUsedIsListed() throws Exception {
        JsonNode listed = spec.at("/components/securitySchemes/oauth2/flows/authorizationCode/scopes");
        Set<String> names = new TreeSet<>();
        listed.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            assertTrue(ScopeDefinitions.isKnown(name), "not a scope the hub knows: " + name);
        }
        for (Method method : endpoints().values()) {
            NeedsScope needs = method.getAnnotation(NeedsScope.class);
            for (String scope : needs == null ? new String[0] : needs.value()) {
                assertTrue(names.contains(scope), scope + " (" + method + ") is not among the oauth2 scopes");
            }
        }
        assertEquals("apiKey", spec.at("/components/securitySchemes/token/type").asText());
        assertEquals("Authorization", spec.at("/components/securitySchemes/token/name").asText());
    }

    /** Refusals are part of the contract: secured operations say 403, those on a named resource 404. */
    @Test
    void operationsDescribeTheRefusalsTheHubAnswers() throws Exception {
        List<String> missing = new ArrayList<>();
        Map<String, JsonNode> operations = operations();
        for (Map.Entry<String, Method> endpoint : endpoints().entrySet()) {
            if (!operations.containsKey(endpoint.getKey())) {
                continue; // describesExactlyTheOperationsTheHubServesUnderTheApi says so
            }
            JsonNode responses = operations.get(endpoint.getKey()).path("responses");
            String path = endpoint.getKey().substring(endpoint.getKey().indexOf(' ') + 1);
            boolean open = endpoint.getValue().isAnnotationPresent(Public.class);
            if (!open && !responses.has("403")) {
                missing.add(endpoint.getKey() + " 403");
            }
            if (!open && !responses.has("401")) {
                missing.add(endpoint.getKey() + " 401 (IAP mode)");
            }
            boolean named = path.contains("{name}") || path.contains("{group_name}");
            boolean tokenCreation = path.endsWith("/tokens") && endpoint.getKey().startsWith("POST");
            if (named && !tokenCreation && !responses.has("404")) {
                missing.add(endpoint.getKey() + " 404");
            }
        }
        assertTrue(missing.isEmpty(), "responses not described: " + missing);
    }

    @Test
    void modelsCarryJupyterHubsFields() {
        assertHasProperties("User", "kind", "name", "admin", "groups", "roles", "server", "pending", "created",
                "last_activity", "servers", "user_info");
        assertHasProperties("Server", "name", "display_name", "ready", "pending", "url", "progress_url", "started",
                "last_activity", "user_options", "stopped", "full_name", "full_url", "full_progress_url", "state");
        assertHasProperties("Group", "kind", "name", "users", "properties", "roles");
        assertHasProperties("Token", "kind", "id", "user", "service", "roles", "scopes", "note", "created",
                "expires_at", "last_activity", "session_id", "oauth_client");
        assertHasProperties("Error", "status", "message");
        assertHasProperties("Pagination", "offset", "limit", "total", "next");
        assertHasProperties("PaginatedUsers", "items", "_pagination");
        assertEquals("#/components/schemas/Server",
                schema("User").at("/properties/servers/additionalProperties/$ref").asText());
        assertEquals(List.of("status", "message"), strings(schema("Error").path("required")));
    }

    /**
     * The models are built as maps, so nothing but this keeps the description up to date when a
     * field is added: every field the hub sends must be described.
     */
    @Test
    void everyFieldTheHubSendsIsDescribed() {
        String user = "described@example.com";
        admin().post("/hub/api/users/" + user).then().statusCode(201);
        admin().post("/hub/api/groups/described").then().statusCode(201);
        admin().body(Map.of("users", List.of(user))).post("/hub/api/groups/described/users").then().statusCode(200);
        Api.startServer(Api.ADMIN_TOKEN, user, "");
        try {
            Map<String, Object> model = admin().get("/hub/api/users/" + user).then().statusCode(200).extract().as(Map.class);
            assertDescribed("User", model.keySet());
            Map<?, ?> servers = (Map<?, ?>) model.get("servers");
            assertDescribed("Server", ((Map<?, ?>) servers.get("")).keySet());
            Map<String, Object> token = admin().body(Map.of("note", "described")).post("/hub/api/users/" + user + "/tokens")
                    .then().statusCode(201).extract().as(Map.class);
            Set<String> tokenFields = new LinkedHashSet<>(token.keySet());
            assertTrue(tokenFields.remove("token"));
            assertDescribed("Token", tokenFields);
            assertDescribed("Group", admin().get("/hub/api/groups/described").then().statusCode(200)
                    .extract().as(Map.class).keySet());
            Map<String, Object> me = Api.as(Api.userWithToken(user)).get("/hub/api/user").then().statusCode(200)
                    .extract().as(Map.class);
            Set<String> identity = new LinkedHashSet<>(me.keySet());
            identity.removeAll(List.of("scopes", "session_id", "token_id"));
            assertTrue(spec.at("/components/schemas/RequestIdentity/allOf/1/properties").has("token_id"));
            assertDescribed("User", identity);
            assertDescribed("Error", admin().get("/hub/api/users/nobody@example.com").then().statusCode(404)
                    .extract().as(Map.class).keySet());
        } finally {
            admin().delete("/hub/api/users/" + user + "/server");
        }
    }

    private static void assertDescribed(String schema, Set<?> fields) {
        Set<String> undescribed = new TreeSet<>();
        fields.forEach(f -> undescribed.add(String.valueOf(f)));
        undescribed.removeAll(properties(schema));
        assertTrue(undescribed.isEmpty(), "fields of " + schema + " sent but not described: " + undescribed);
    }

    private static void assertHasProperties(String schema, String... fields) {
        Set<String> missing = new TreeSet<>(List.of(fields));
        missing.removeAll(properties(schema));
        assertTrue(missing.isEmpty(), schema + " lacks " + missing);
    }

    private static Set<String> properties(String schema) {
        Set<String> names = new TreeSet<>();
        schema(schema).path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode schema(String name) {
        JsonNode schema = spec.at("/components/schemas/" + name);
        assertFalse(schema.isMissingNode(), "no schema " + name);
        return schema;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** The described operations as {@code "GET /hub/api/users/{name}"}, paths without a trailing slash. */
    private static Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (List.of("get", "put", "post", "delete", "options", "head", "patch", "trace").contains(op.getKey())) {
                    operations.put(op.getKey().toUpperCase(Locale.ROOT) + " " + normalize(path.getKey()), op.getValue());
                }
            }
        }
        return operations;
    }

    /** Every JAX-RS resource method of the hub under /hub/api, found in the compiled classes. */
    private static Map<String, Method> endpoints() throws Exception {
        Map<String, Method> endpoints = new TreeMap<>();
        List<String> classNames;
        try (Stream<java.nio.file.Path> files = Files.walk(CLASSES.resolve("io/ganymede/hub"))) {
            classNames = files.map(f -> CLASSES.relativize(f).toString())
                    .filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String name : classNames) {
            Class<?> type = Class.forName(name, false, loader);
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String verb = httpMethod(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = normalize(root.value() + "/" + (sub == null ? "" : sub.value()));
                if (path.equals("/hub/api") || path.startsWith("/hub/api/")) {
                    endpoints.put(verb + " " + path, method);
                }
            }
        }
        return endpoints;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** One slash between segments, none at the end, and path parameters without their regexes. */
    private static String normalize(String path) {
        String clean = path.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return clean.length() > 1 && clean.endsWith("/") ? clean.substring(0, clean.length() - 1) : clean;
    }
}
