package io.ganymede.hub.sharing;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.startServer;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * JupyterHub 5's sharing API: {@code /shares}, {@code /users/{name}/shared}, {@code /groups/{name}/shared},
 * with the status codes and messages of JupyterHub's {@code test_shares.py}. The owner is in the
 * test configuration's {@code sharers} group, whose role holds {@code shares!user} and the name
 * scopes; the recipient holds only the {@code user} role.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharesApiTest {

    static final String OWNER = "sh.alice@example.com";
    static final String RECIPIENT = "o'brien+sh@example.com";
    static final String MEMBER = "sh.crew+1@example.com";
    static final String SHARES = "/hub/api/shares/{owner}/{server}";

    String owner;
    String recipient;
    String member;

    /** Once per class, but in a test's context: REST Assured knows the app's port only then. */
    @BeforeEach
    void users() {
        if (owner != null) {
            return;
        }
        owner = userWithToken(OWNER);
        recipient = userWithToken(RECIPIENT);
        member = userWithToken(MEMBER);
        admin().body(Map.of("users", List.of(OWNER))).post("/hub/api/groups/sharers");
        admin().body(Map.of("users", List.of(OWNER))).post("/hub/api/groups/sharers/users");
        admin().body(Map.of("users", List.of(MEMBER))).post("/hub/api/groups/sh-crew").then().statusCode(201);
        startServer(owner, OWNER, "");
    }

    @Test
    void grantListPatchAndRevoke() {
        as(owner).body(Map.of("user", RECIPIENT)).post(SHARES, OWNER, "").then().statusCode(200)
                .body("scopes", contains("access:servers!server=" + OWNER + "/"))
                .body("kind", equalTo("user"))
                .body("user.name", equalTo(RECIPIENT))
                .body("group", nullValue())
                .body("server.user.name", equalTo(OWNER))
                .body("server.name", equalTo(""))
                .body("server.ready", equalTo(true))
                .body("server.url", equalTo("/user/sh.alice@example.com/"))
                .body("server", not(org.hamcrest.Matchers.hasKey("state")));
        // Granting more widens the one share; always paginated, with or without the Accept header.
        as(owner).body(Map.of("user", RECIPIENT, "scopes", List.of("read:servers"))).post(SHARES, OWNER, "")
                .then().statusCode(200).body("scopes", contains("access:servers!server=" + OWNER + "/",
                        "read:servers!server=" + OWNER + "/"));
        as(owner).get("/hub/api/shares/{owner}", OWNER).then().statusCode(200)
                .body("items.user.name", contains(RECIPIENT))
                .body("_pagination.total", equalTo(1)).body("_pagination.next", nullValue());
        as(owner).get(SHARES, OWNER, "").then().statusCode(200).body("items.user.name", contains(RECIPIENT));

        // The recipient holds the shared scopes, on that server only, and sees the share.
        as(recipient).get("/hub/api/user").then().statusCode(200)
                .body("scopes", hasItem("access:servers!server=" + OWNER + "/"))
                .body("scopes", hasItem("read:servers!server=" + OWNER + "/"));
        as(recipient).get("/hub/api/users/{u}/shared", RECIPIENT).then().statusCode(200)
                .body("items.server.user.name", contains(OWNER)).body("_pagination.total", equalTo(1));
        as(recipient).get("/hub/api/users/{u}/shared/{o}/{s}", RECIPIENT, OWNER, "").then().statusCode(200)
                .body("scopes", hasItem("access:servers!server=" + OWNER + "/"));
        // The shared read:servers reads that server's model (JupyterHub 6.0's GET), and no other of the owner's.
        as(recipient).get("/hub/api/users/{u}/server", OWNER).then().statusCode(200).body("name", equalTo(""));
        as(recipient).get("/hub/api/users/{u}/servers/{s}", OWNER, "other").then().statusCode(404);

        // PATCH takes scopes away, and the whole share with its last one.
        as(owner).body(Map.of("user", RECIPIENT, "scopes", List.of("read:servers"))).patch(SHARES, OWNER, "")
                .then().statusCode(200).body("scopes", contains("access:servers!server=" + OWNER + "/"));
        as(owner).body(Map.of("user", RECIPIENT)).patch(SHARES, OWNER, "").then().statusCode(200).body("$", equalTo(Map.of()));
        as(owner).body(Map.of("user", "nobody@example.com")).patch(SHARES, OWNER, "").then().statusCode(200)
                .body("$", equalTo(Map.of()));
        as(recipient).get("/hub/api/user").then().body("scopes", not(hasItem("access:servers!server=" + OWNER + "/")));
        as(recipient).get("/hub/api/users/{u}/shared/{o}/{s}", RECIPIENT, OWNER, "").then().statusCode(404)
                .body("message", equalTo("No such share for user " + RECIPIENT + " on " + OWNER + "/"));
    }

    @Test
    void recipientsLeaveAndOwnersRevokeAll() {
        as(owner).body(Map.of("user", RECIPIENT)).post(SHARES, OWNER, "").then().statusCode(200);
        // users:shares comes with self: one may leave a share, but not someone else's.
        as(member).delete("/hub/api/users/{u}/shared/{o}/{s}", RECIPIENT, OWNER, "").then().statusCode(404);
        as(recipient).delete("/hub/api/users/{u}/shared/{o}/{s}", RECIPIENT, OWNER, "").then().statusCode(204);
        as(recipient).delete("/hub/api/users/{u}/shared/{o}/{s}", RECIPIENT, OWNER, "").then().statusCode(404);

        as(owner).body(Map.of("user", RECIPIENT)).post(SHARES, OWNER, "").then().statusCode(200);
        as(owner).body(Map.of("group", "sh-crew")).post(SHARES, OWNER, "").then().statusCode(200);
        as(owner).delete(SHARES, OWNER, "").then().statusCode(204);
        as(owner).get(SHARES, OWNER, "").then().statusCode(200).body("items", empty()).body("_pagination.total", equalTo(0));
    }

    @Test
    void sharesWithAGroupReachItsMembers() {
        as(owner).body(Map.of("group", "sh-crew")).post(SHARES, OWNER, "").then().statusCode(200)
                .body("kind", equalTo("group")).body("group.name", equalTo("sh-crew")).body("user", nullValue());
        as(member).get("/hub/api/users/{u}/shared", MEMBER).then().statusCode(200)
                .body("items.group.name", contains("sh-crew"));
        as(member).get("/hub/api/user").then().body("scopes", hasItem("access:servers!server=" + OWNER + "/"));
        // Members read what is shared with them, not the group's list: that is read:groups:shares.
        as(member).get("/hub/api/groups/sh-crew/shared").then().statusCode(403);
        admin().get("/hub/api/groups/sh-crew/shared").then().statusCode(200).body("items.server.user.name", contains(OWNER));
        admin().get("/hub/api/groups/sh-crew/shared/{o}/{s}", OWNER, "").then().statusCode(200);
        admin().get("/hub/api/groups/nosuch/shared").then().statusCode(404).body("message", equalTo("No such group: nosuch"));
        admin().delete("/hub/api/groups/sh-crew/shared/{o}/{s}", OWNER, "").then().statusCode(204);
        admin().delete("/hub/api/groups/sh-crew/shared/{o}/{s}", OWNER, "").then().statusCode(404)
                .body("message", equalTo("No such share for group sh-crew on " + OWNER + "/"));
        as(member).get("/hub/api/user").then().body("scopes", not(hasItem("access:servers!server=" + OWNER + "/")));
    }

    @Test
    void scopesDecideWhoMayShareWhat() {
        // The user role reads its shares but does not share.
        as(recipient).body(Map.of("user", OWNER)).post(SHARES, RECIPIENT, "").then().statusCode(403)
                .body("message", startsWith("Action is not authorized with current scopes; requires any of [shares]"));
        as(recipient).get("/hub/api/shares/{o}", RECIPIENT).then().statusCode(200);
        as(recipient).get("/hub/api/users/{u}/shared", RECIPIENT).then().statusCode(200);
        // Held for other servers only: the owner's servers look missing.
        as(recipient).get("/hub/api/shares/{o}", OWNER).then().statusCode(404);
        as(owner).body(Map.of("user", OWNER)).post(SHARES, RECIPIENT, "").then().statusCode(404);
        as(recipient).get("/hub/api/users/{u}/shared", OWNER).then().statusCode(404);
        // Only what one holds can be shared, and sharing by name needs the name scope.
        as(owner).body(Map.of("user", RECIPIENT, "scopes", List.of("admin:servers"))).post(SHARES, OWNER, "")
                .then().statusCode(403).body("message",
                        equalTo("Do not have permission to grant share with scope admin:servers!server=" + OWNER + "/"));
        String sharesOnly = as(owner).body(Map.of("scopes", List.of("shares!user"))).post("/hub/api/users/{u}/tokens", OWNER)
                .then().statusCode(201).extract().path("token");
        as(sharesOnly).body(Map.of("user", RECIPIENT)).post(SHARES, OWNER, "").then().statusCode(403)
                .body("message", equalTo("Need scope 'read:users:name' to share with users by name"));
        as(sharesOnly).body(Map.of("group", "sh-crew")).post(SHARES, OWNER, "").then().statusCode(403)
                .body("message", equalTo("Need scope 'read:groups:name' to share with groups by name"));
        // Admins (admin-access off) see shares but cannot hand out access they do not have.
        admin().get("/hub/api/shares/{o}", OWNER).then().statusCode(200);
        admin().body(Map.of("user", RECIPIENT)).post(SHARES, OWNER, "").then().statusCode(403);
    }

    @Test
    void badRequestsAreJupyterHubs4xx() {
        as(owner).body(Map.of("user", RECIPIENT, "group", "sh-crew")).post(SHARES, OWNER, "").then().statusCode(400)
                .body("message", equalTo("Expected exactly one of `user` or `group`, not both."));
        as(owner).body(Map.of()).post(SHARES, OWNER, "").then().statusCode(400)
                .body("message", equalTo("Specify exactly one of `user` or `group`"));
        as(owner).body(Map.of("user", RECIPIENT, "expires_in", 60)).post(SHARES, OWNER, "").then().statusCode(400)
                .body("message", containsString("expires_in"));
        as(owner).body(Map.of("user", 7)).post(SHARES, OWNER, "").then().statusCode(400);
        as(owner).body(Map.of("user", "nobody@example.com")).post(SHARES, OWNER, "").then().statusCode(400)
                .body("message", equalTo("No such user: nobody@example.com"));
        as(owner).body(Map.of("group", "nosuch")).post(SHARES, OWNER, "").then().statusCode(400)
                .body("message", equalTo("No such group: nosuch"));
        as(owner).body(Map.of("user", RECIPIENT, "scopes", List.of("read:servers!server=other/"))).post(SHARES, OWNER, "")
                .then().statusCode(400).body("message", startsWith("!server=other/ not allowed on sharing"));
        as(owner).body(Map.of("user", RECIPIENT, "scopes", List.of("fly:servers"))).post(SHARES, OWNER, "")
                .then().statusCode(400).body("message", equalTo("Scope 'fly:servers' for share does not exist"));
        as(owner).body(Map.of("user", RECIPIENT, "scopes", List.of("self"))).post(SHARES, OWNER, "")
                .then().statusCode(400);
        as(owner).body("[1").post(SHARES, OWNER, "").then().statusCode(400);
        as(owner).body(Map.of("user", RECIPIENT)).post(SHARES, OWNER, "nosuchserver").then().statusCode(404)
                .body("message", equalTo("No such server: " + OWNER + "/nosuchserver"));
        admin().get("/hub/api/shares/nobody@example.com").then().statusCode(404);
        admin().get(SHARES, "nobody@example.com", "").then().statusCode(404);
        admin().get(SHARES, "nobody@example.com", "named").then().statusCode(404);
        admin().get("/hub/api/users/nobody@example.com/shared").then().statusCode(404);
        // Only a server is shared: the owner's path alone is read-only.
        for (String method : List.of("POST", "PATCH", "DELETE")) {
            as(owner).body(Map.of("user", RECIPIENT)).request(method, "/hub/api/shares/{o}", OWNER).then().statusCode(405)
                    .body("status", equalTo(405));
            as(owner).body(Map.of()).request(method.equals("PATCH") ? "POST" : method, "/hub/api/share-codes/{o}", OWNER)
                    .then().statusCode(405);
        }
        as(owner).queryParam("limit", "x").get("/hub/api/shares/{o}", OWNER).then().statusCode(400);
        as(owner).queryParam("limit", "1").queryParam("offset", "0").get(SHARES, OWNER, "").then().statusCode(200)
                .body("_pagination.limit", equalTo(1));
    }
}
