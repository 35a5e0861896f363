package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JupyterHub 6.0's server endpoints: GET, PUT and PATCH beside start and stop, and its name rules. */
@QuarkusTest
class ServerDefinitionsApiTest {

    private static final String SERVERS = "/hub/api/users/{user}/servers/{server}";
    private static final String DEFAULT = "/hub/api/users/{user}/server";

    @Test
    void aNamedServerIsCreatedReadRenamedStartedAndChangedOnlyWhileStopped() {
        String user = "ana.lopez+ml@example.com";
        String token = userWithToken(user);
        as(token).body(Map.of("display_name", "GPU, large: Ana's", "user_options", Map.of("profile", "default")))
                .put(SERVERS, user, "gpu-large").then().statusCode(201)
                .body("name", equalTo("gpu-large"))
                .body("display_name", equalTo("GPU, large: Ana's"))
                .body("full_name", equalTo(user + "/gpu-large"))
                .body("stopped", equalTo(true)).body("ready", equalTo(false)).body("pending", equalTo(null))
                .body("url", equalTo("/user/ana.lopez%2Bml@example.com/gpu-large/"))
                .body("user_options", equalTo(Map.of("profile", "default")));
        as(token).put(SERVERS, user, "gpu-large").then().statusCode(409)
                .body("message", equalTo("User " + user + " already has server gpu-large"));
        as(token).get(SERVERS, user, "gpu-large").then().statusCode(200)
                .body("display_name", equalTo("GPU, large: Ana's")).body("stopped", equalTo(true));
        as(token).get(SERVERS, user, "nope").then().statusCode(404);
        // Stopped servers stay out of the user's model, as in JupyterHub.
        as(token).get("/hub/api/users/{user}", user).then().body("servers", equalTo(Map.of()));

        // The default server is every user's, started or not, and cannot be created.
        as(token).get(DEFAULT, user).then().statusCode(200)
                .body("name", equalTo("")).body("display_name", equalTo("")).body("stopped", equalTo(true));
        as(token).put(DEFAULT, user).then().statusCode(409)
                .body("message", equalTo("User " + user + " already has a default server"));

        // A rename keeps a chosen display name; the old name is gone.
        as(token).body(Map.of("name", "gpu-xl")).patch(SERVERS, user, "gpu-large").then().statusCode(200)
                .body("name", equalTo("gpu-xl")).body("display_name", equalTo("GPU, large: Ana's"));
        as(token).get(SERVERS, user, "gpu-large").then().statusCode(404);
        as(token).body(Map.of()).patch(SERVERS, user, "gpu-xl").then().statusCode(400)
                .body("message", equalTo("Must specify at least one field to modify."));
        as(token).body(Map.of("colour", "red")).patch(SERVERS, user, "gpu-xl").then().statusCode(400)
                .body("message", startsWith("Unexpected fields: [colour]"));
        as(token).body(Map.of("name", 5)).patch(SERVERS, user, "gpu-xl").then().statusCode(400)
                .body("message", equalTo("name must be a string"));
        as(token).body(Map.of("user_options", List.of())).patch(SERVERS, user, "gpu-xl").then().statusCode(400)
                .body("message", equalTo("user_options must be a dict"));
        as(token).body(Map.of("name", "GPU XL")).patch(SERVERS, user, "gpu-xl").then().statusCode(400)
                .body("message", startsWith("Invalid server_name: GPU XL"));
        as(token).body(Map.of("name", "")).patch(SERVERS, user, "gpu-xl").then().statusCode(409)
                .body("message", equalTo("User " + user + " already has server ''"));
        as(token).put(SERVERS, user, "cpu").then().statusCode(201).body("display_name", equalTo("cpu"));
        as(token).body(Map.of("name", "cpu")).patch(SERVERS, user, "gpu-xl").then().statusCode(409);
        as(token).body(Map.of("name", "gpu")).patch(SERVERS, user, "nope").then().statusCode(404);
        // A display name that was just the name follows a rename.
        as(token).body(Map.of("name", "cpu-small")).patch(SERVERS, user, "cpu").then().statusCode(200)
                .body("display_name", equalTo("cpu-small"));

        // A start without options takes the server's recorded ones (JupyterHub 6.0).
        as(token).post(SERVERS, user, "gpu-xl").then().statusCode(201);
        as(token).get(SERVERS, user, "gpu-xl").then().statusCode(200).body("ready", equalTo(true))
                .body("user_options.profile", equalTo("default")).body("display_name", equalTo("GPU, large: Ana's"));
        as(token).body(Map.of("display_name", "Running")).patch(SERVERS, user, "gpu-xl").then().statusCode(400)
                .body("message", equalTo(user + "'s server gpu-xl is active. Please stop it before modifying it."));
        as(token).delete(SERVERS, user, "gpu-xl").then().statusCode(204);
        as(token).body(Map.of("display_name", "GPU XL \u2014 \u6df1\u5c64\u5b66\u7fd2", "user_options", Map.of("profile", "default", "note", "x")))
                .patch(SERVERS, user, "gpu-xl").then().statusCode(200)
                .body("display_name", equalTo("GPU XL \u2014 \u6df1\u5c64\u5b66\u7fd2"))
                .body("user_options", equalTo(Map.of("profile", "default", "note", "x")));
        as(token).body(Map.of("remove", true)).delete(SERVERS, user, "gpu-xl").then().statusCode(204);
        as(token).get(SERVERS, user, "gpu-xl").then().statusCode(404);
    }

    @Test
    void theStartBodyTakesDisplayNameAndUserOptionsOrIsTheOptionsItself() {
        String user = "li.wei@example.org";
        String token = userWithToken(user);
        // Either form reaches the profile check: the options are what it names.
        as(token).body(Map.of("display_name", "Main", "user_options", Map.of("profile", "no-such-profile")))
                .post(SERVERS, user, "main").then().statusCode(400).body("message", containsString("no-such-profile"));
        as(token).body(Map.of("profile", "no-such-profile")).post(DEFAULT, user).then().statusCode(400)
                .body("message", containsString("no-such-profile"));
        as(token).body(Map.of("display_name", 5)).post(SERVERS, user, "main").then().statusCode(400)
                .body("message", equalTo("display_name must be a string"));
        as(token).body(Map.of("display_name", "x", "user_options", 5)).put(SERVERS, user, "notes").then().statusCode(400)
                .body("message", equalTo("user_options must be an object or null"));
        as(token).body(Map.of("display_name", "Analysis (Q3)", "user_options", Map.of("profile", "default")))
                .post(SERVERS, user, "analysis").then().statusCode(201);
        as(token).get("/hub/api/users/{user}", user).then()
                .body("servers.analysis.display_name", equalTo("Analysis (Q3)"))
                .body("servers.analysis.user_options.profile", equalTo("default"));
        as(token).delete(SERVERS, user, "analysis").then().statusCode(204);
        // The default server's display name is always "".
        as(token).body(Map.of("display_name", "Mine")).post(DEFAULT, user).then().statusCode(201);
        as(token).get(DEFAULT, user).then().body("display_name", equalTo("")).body("ready", equalTo(true));
        as(token).delete(DEFAULT, user).then().statusCode(204);
    }

    @Test
    void newNamesFollowJupyterHubSixAndOlderNamesStillStartAndDelete() {
        String user = "o'brien@example.ie";
        String token = userWithToken(user);
        for (String bad : List.of("My-Server", "a--b", "1abc", "abc-", "-abc", "a_b", "gpu.t4", "a".repeat(31), "caf\u00e9")) {
            as(token).put(SERVERS, user, bad).then().statusCode(400).body("message", startsWith("Invalid server_name: " + bad));
            as(token).post(SERVERS, user, bad).then().statusCode(400).body("message", startsWith("Invalid server_name: " + bad));
        }
        as(token).put(SERVERS, user, "a".repeat(30)).then().statusCode(201);
        as(token).put(SERVERS, user, "r2-d2").then().statusCode(201);
        for (String bad : List.of(" lead", "trail ", "two  spaces", "bell\u0007", "tab\tbed", "x".repeat(256))) {
            as(token).body(Map.of("display_name", bad)).put(SERVERS, user, "shown").then().statusCode(400)
                    .body("message", startsWith("Invalid display_name: "));
        }

        // A server named before 6.0's rule: recorded as an older hub would have.
        String old = "Old Server@2024";
        QuarkusTransaction.requiringNew().run(() -> {
            ServerEntity server = new ServerEntity();
            server.user = UserEntity.findByName(user).orElseThrow();
            server.name = old;
            server.persist();
        });
        as(token).get(SERVERS, user, old).then().statusCode(200).body("name", equalTo(old))
                .body("display_name", equalTo(null));
        as(token).post(SERVERS, user, old).then().statusCode(201);
        as(token).get(SERVERS, user, old).then().body("ready", equalTo(true))
                .body("url", equalTo("/user/o%27brien@example.ie/Old%20Server@2024/"));
        as(token).delete(SERVERS, user, old).then().statusCode(204);
        // It may be given a valid name, but not another invalid one.
        as(token).body(Map.of("name", "Older Server")).patch(SERVERS, user, old).then().statusCode(400);
        as(token).body(Map.of("remove", true)).delete(SERVERS, user, old).then().statusCode(204);
        as(token).get(SERVERS, user, old).then().statusCode(404);
    }

    @Test
    void eachOperationNeedsItsOwnScope() {
        String user = "sam.taylor@example.com";
        admin().post("/hub/api/users/{user}", user).then().statusCode(201);
        admin().put(SERVERS, user, "lab").then().statusCode(201);
        String starter = token(user, "start:servers!user=" + user);
        String reader = token(user, "read:servers!user=" + user);
        String stopper = token(user, "delete:servers!server=" + user + "/lab");

        as(starter).body(Map.of("display_name", "Lab")).patch(SERVERS, user, "lab").then().statusCode(200);
        as(starter).put(SERVERS, user, "notebook").then().statusCode(201);
        as(starter).get(SERVERS, user, "lab").then().statusCode(403);
        as(starter).delete(SERVERS, user, "lab").then().statusCode(403);
        as(reader).get(SERVERS, user, "lab").then().statusCode(200).body("display_name", equalTo("Lab"))
                .body("$", not(hasKey("state")));
        as(reader).put(SERVERS, user, "other").then().statusCode(403);
        as(reader).body(Map.of("display_name", "x")).patch(SERVERS, user, "lab").then().statusCode(403);
        as(stopper).body(Map.of("remove", true)).delete(SERVERS, user, "lab").then().statusCode(204);
        // Held for one server only: any other is as good as missing.
        as(stopper).body(Map.of("remove", true)).delete(SERVERS, user, "notebook").then().statusCode(404);
        as(stopper).get(SERVERS, user, "notebook").then().statusCode(403);
        // Another user's servers are hidden behind a 404.
        admin().post("/hub/api/users/{user}", "kim@example.com").then().statusCode(201);
        as(starter).put(SERVERS, "kim@example.com", "lab").then().statusCode(404);
        admin().get(SERVERS, user, "notebook").then().statusCode(200).body("state", equalTo(Map.of()));
    }

    @Test
    void aServerOfAnUnknownUserIsNotFound() {
        String nobody = "nobody.here@example.com";
        admin().get(DEFAULT, nobody).then().statusCode(404);
        admin().put(SERVERS, nobody, "lab").then().statusCode(404);
        admin().body(Map.of("name", "lab2")).patch(SERVERS, nobody, "lab").then().statusCode(404);
        admin().post(DEFAULT, nobody).then().statusCode(404);
        admin().post(SERVERS, nobody, "lab").then().statusCode(404);
        admin().delete(DEFAULT, nobody).then().statusCode(404);
        admin().delete(SERVERS, nobody, "lab").then().statusCode(404);
        admin().get(SERVERS + "/progress", nobody, "lab").then().statusCode(404);
    }

    private static String token(String user, String scope) {
        return admin().body(Map.of("scopes", List.of(scope))).post("/hub/api/users/{user}/tokens", user)
                .then().statusCode(201).extract().path("token");
    }
}
