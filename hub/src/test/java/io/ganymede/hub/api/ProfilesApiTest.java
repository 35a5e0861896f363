package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.ganymede.hub.Api.userWithToken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * GET /hub/api/profiles and its admin status view against a hub whose profiles.yaml is a
 * ConfigMap-style mount (kubelet's {@code ..data} symlink swap), with watching only (no polling):
 * group rules, 403 for a profile one may not use, and hot reload while a server runs.
 */
@QuarkusTest
@TestProfile(ProfilesApiTest.ConfigMapMount.class)
class ProfilesApiTest {

    /** A fixed place: the profile and the test may be loaded by different class loaders. */
    static final Path MOUNT = Path.of("target/profiles-api-test-mount").toAbsolutePath();

    static final String V1 = """
            profiles:
              - display_name: Small
                slug: small
                default: true
              - display_name: GPU T4
                slug: gpu
                groups: [ml, research]
                gpu: nvidia-tesla-t4
              - display_name: Ops
                slug: ops
                groups: [ops]
            """;

    public static class ConfigMapMount implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(MOUNT);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            publish("v1", V1);
            return Map.of("ganymede.profiles.path", MOUNT.resolve("profiles.yaml").toString(),
                    "ganymede.profiles.poll-interval", "0s");
        }
    }

    @Test
    void groupsDecideWhoSeesAndWhoMayStart() {
        String pia = userWithToken("pia");
        as(pia).get("/hub/api/profiles").then().statusCode(200)
                .body("slug", equalTo(List.of("small")))
                .body("[0].display_name", equalTo("Small"))
                .body("[0].default", equalTo(true))
                .body("[0].app", equalTo("jupyterlab"))
                // The local spawner knows no cluster: no capacity is claimed.
                .body("", everyItem(not(hasKey("capacity"))));

        // Starting a profile of another group: 403 as JSON, and no server is created.
        as(pia).body(Map.of("profile", "gpu")).post("/hub/api/users/pia/server").then().statusCode(403)
                .body("status", equalTo(403))
                .body("message", equalTo("Profile gpu is not available to you"));
        as(pia).body(Map.of("profile", "ops")).post("/hub/api/users/pia/servers/x").then().statusCode(403)
                .body("message", equalTo("Profile ops is not available to you"));
        as(pia).get("/hub/api/users/pia").then().body("servers", equalTo(Map.of()));

        admin().body(Map.of("users", List.of("pia"))).post("/hub/api/groups/research").then().statusCode(201);
        as(pia).get("/hub/api/profiles").then()
                .body("slug", equalTo(List.of("small", "gpu")))
                .body("[1].groups", equalTo(List.of("ml", "research")))
                .body("[1].gpu", equalTo("nvidia-tesla-t4"));

        admin().get("/hub/api/profiles").then().body("slug", equalTo(List.of("small", "gpu", "ops")));
        admin().body(Map.of("admin", true)).post("/hub/api/users/ops-admin");
        String opsAdmin = admin().body(Map.of()).post("/hub/api/users/ops-admin/tokens").then().extract().path("token");
        as(opsAdmin).get("/hub/api/profiles").then().body("slug", equalTo(List.of("small", "gpu", "ops")));

        // The status view is for admins only.
        as(pia).get("/hub/api/profiles/status").then().statusCode(403).body("status", equalTo(403));
        given().get("/hub/api/profiles").then().statusCode(403);
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }

    @Test
    void hotReloadLeavesRunningServersAloneAndRefusesBrokenFiles() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage() == null ? "" : String.format(r.getMessage().replace("%n", "\n"),
                        r.getParameters() == null ? new Object[0] : r.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger catalogLog = Logger.getLogger("io.ganymede.hub.profiles.ProfileCatalog");
        catalogLog.addHandler(capture);
        try {
            String quinn = userWithToken("quinn");
            as(quinn).body(Map.of("profile", "small")).post("/hub/api/users/quinn/server").then().statusCode(201);
            Map<String, Object> before = admin().get("/hub/api/users/quinn").then().extract().path("servers.''");
            String pid = admin().get("/hub/api/users/quinn").then().extract().path("servers.''.state.pid");
            Map<String, Object> status1 = admin().get("/hub/api/profiles/status").then().statusCode(200)
                    .body("path", equalTo(MOUNT.resolve("profiles.yaml").toString()))
                    .body("built_in", equalTo(false))
                    .body("last_refused_errors", equalTo(List.of()))
                    .extract().path("");

            // A new version that drops the running server's profile: applied within seconds.
            long t0 = System.nanoTime();
            publish("v2", """
                    profiles:
                      - display_name: Medium
                        slug: medium
                    """);
            await(() -> List.of("medium").equals(as(quinn).get("/hub/api/profiles").then().extract().path("slug")));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "applied within 5 s");
            Map<String, Object> status2 = admin().get("/hub/api/profiles/status").then().extract().path("");
            assertNotEquals(status1.get("sha256"), status2.get("sha256"));
            assertUntouched(quinn, before, pid);

            // A broken version: refused, logged with its errors, shown to admins; the last good one stays.
            publish("v3", """
                    profiles:
                      - display_name: Large
                        kubespawner_override:
                          mem_limit: 4GG
                    """);
            String error = MOUNT.resolve("profiles.yaml") + ":4:18: bad quantity '4GG' for mem_limit: "
                    + "expected bytes like 512M, 4G or 4Gi";
            await(() -> List.of(error).equals(admin().get("/hub/api/profiles/status").then()
                    .extract().path("last_refused_errors")));
            admin().get("/hub/api/profiles/status").then()
                    .body("sha256", equalTo(status2.get("sha256")))
                    .body("last_good_load", equalTo(status2.get("last_good_load")))
                    .body("profiles.slug", equalTo(List.of("medium")));
            as(quinn).get("/hub/api/profiles").then().body("slug", equalTo(List.of("medium")));
            assertTrue(logged.stream().anyMatch(m -> m.contains("refused") && m.contains(error)), logged.toString());
            // Starting the refused file's profile is not possible; the good one is.
            as(quinn).body(Map.of("profile", "large")).post("/hub/api/users/quinn/servers/big").then().statusCode(400)
                    .body("message", equalTo("No such profile: large. Options include: medium"));
            assertUntouched(quinn, before, pid);

            // The server started under the old file still stops normally.
            as(quinn).delete("/hub/api/users/quinn/server").then().statusCode(204);
            // No options means its last ones (JupyterHub 6.0), whose profile the file no longer has.
            as(quinn).post("/hub/api/users/quinn/server").then().statusCode(400)
                    .body("message", equalTo("No such profile: small. Options include: medium"));
            as(quinn).body(Map.of("user_options", Map.of())).post("/hub/api/users/quinn/server").then().statusCode(201);
            as(quinn).get("/hub/api/users/quinn").then().body("servers.''.user_options", equalTo(Map.of()));
            as(quinn).delete("/hub/api/users/quinn/server").then().statusCode(204);
        } finally {
            catalogLog.removeHandler(capture);
            publish("v9", V1);
            await(() -> List.of("small", "gpu", "ops").equals(admin().get("/hub/api/profiles").then().extract().path("slug")));
        }
    }

    private static void assertUntouched(String token, Map<String, Object> before, String pid) {
        Map<String, Object> now = as(token).get("/hub/api/users/quinn").then().statusCode(200)
                .body("servers.''.ready", equalTo(true))
                .body("servers.''.user_options.profile", equalTo("small"))
                .extract().path("servers.''");
        assertEquals(before.get("started"), now.get("started"));
        assertEquals(before.get("url"), now.get("url"));
        assertTrue(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), "server process alive");
    }

    /**
     * As the kubelet updates a ConfigMap volume: a new timestamped directory, a fresh {@code ..data}
     * symlink renamed over the old one (atomic), and {@code profiles.yaml -> ..data/profiles.yaml}.
     */
    static void publish(String version, String content) {
        try {
            Path dir = Files.createDirectory(MOUNT.resolve("..2026_12_01_" + version + "." + System.nanoTime()));
            Files.writeString(dir.resolve("profiles.yaml"), content);
            Path tmp = MOUNT.resolve("..data_tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, dir.getFileName());
            Files.move(tmp, MOUNT.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (!Files.exists(MOUNT.resolve("profiles.yaml"), LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(MOUNT.resolve("profiles.yaml"), Path.of("..data/profiles.yaml"));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(50);
        }
    }
}
