package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The team apps in a browser: a group member's home page lists the external service and the
 * managed app a role lets them open, with their state, and its Open link leads through the hub's
 * access cookie to the service's page; someone outside the group sees no such section; the admin
 * page lists every service with its kind. Screenshots: {@code team-apps-home.png},
 * {@code team-apps-admin.png}.
 */
class TeamAppsBrowserTest {

    private static final String ADMIN = "root@example.com";
    private static final String ADMIN_TOKEN = "e2e-team-apps-admin-token";
    private static final String MLFLOW = "/services/mlflow/";

    private static HubProcess hub;
    private static Process mlflow;
    private static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        int port = HubProcess.freePort();
        String config = """
                ganymede:
                  services:
                    mlflow:
                      url: http://127.0.0.1:%d
                      login-at-proxy: true
                      info:
                        description: "Team experiments <b>and</b> runs"
                    tensorboard:
                      info:
                        description: Training curves from the team's bucket
                      app:
                        image: tensorflow/tensorflow:2.20.0
                        port: 6006
                        idle-timeout: 30m
                    idle-culler:
                      api-token: e2e-team-apps-culler-token-0123456789
                  auth:
                    admin-users: %s
                    roles:
                      - name: ml-apps
                        scopes: ["access:services!service=mlflow", "access:services!service=tensorboard"]
                        groups: [data-science]
                """.formatted(port, ADMIN);
        hub = HubProcess.withConfig(config, Map.of("GANYMEDE_ADMIN_TOKEN", ADMIN_TOKEN));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));

        // The external service: a static page under its prefix, behind the hub's access cookie.
        Path site = Files.createTempDirectory("ganymede-team-apps");
        Files.createDirectories(site.resolve(MLFLOW.substring(1)));
        Files.writeString(site.resolve(MLFLOW.substring(1)).resolve("index.html"), "<h1>MLflow runs</h1>");
        mlflow = new ProcessBuilder(Peers.JupyterHub.V6_1.require().python().toString(), "-m", "http.server", "--bind",
                "127.0.0.1", String.valueOf(port), "--directory", site.toString())
                .redirectErrorStream(true).redirectOutput(site.resolve("mlflow.log").toFile()).start();
        hub.awaitUp("http://127.0.0.1:" + port + MLFLOW, Duration.ofSeconds(30));
        chromium = new Chromium();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (mlflow != null) {
            mlflow.destroy();
            mlflow.waitFor();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void membersSeeTheirTeamAppsAndAdminsSeeEveryService() throws Exception {
        var driver = chromium.driver;
        var wait = chromium.wait;
        // Alice signs in once, so that she exists, and joins data-science.
        chromium.signIn(hub, Names.ALICE, "/hub/home");
        hub.api(ADMIN_TOKEN, "POST", "/groups/data-science", null);
        assertEquals(200, hub.api(ADMIN_TOKEN, "POST", "/groups/data-science/users", "{\"users\": [\"" + Names.ALICE + "\"]}").statusCode());

        driver.get(hub.publicUrl("/hub/home"));
        WebElement section = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("team-apps")));
        List<String> apps = section.findElements(By.cssSelector("tr[data-team-app]")).stream()
                .map(row -> row.getAttribute("data-team-app")).toList();
        assertEquals(List.of("mlflow", "tensorboard"), apps);
        WebElement mlflowRow = section.findElement(By.cssSelector("tr[data-team-app=mlflow]"));
        assertTrue(mlflowRow.getText().contains("Team experiments <b>and</b> runs"), "the description is text: " + mlflowRow.getText());
        assertTrue(mlflowRow.getText().contains("available"), mlflowRow.getText());
        WebElement board = section.findElement(By.cssSelector("tr[data-team-app=tensorboard]"));
        assertEquals("stopped", board.getAttribute("data-state"));
        assertTrue(board.getText().contains("starts when you open it"), board.getText());
        chromium.shot("team-apps-home");

        // Open: through the proxy, the hub's access cookie, and onto the service's page.
        mlflowRow.findElement(By.linkText("Open")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "MLflow runs"));
        assertTrue(driver.getCurrentUrl().endsWith(MLFLOW), driver.getCurrentUrl());

        // Someone outside the group: no team apps, no Services menu.
        driver.get(hub.publicUrl("/hub/logout"));
        chromium.signIn(hub, Names.OBRIEN, "/hub/home");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("usage")));
        assertTrue(driver.findElements(By.id("team-apps")).isEmpty());
        assertTrue(driver.findElements(By.cssSelector("[data-service]")).isEmpty());

        // The admin: every service, with its kind.
        driver.get(hub.publicUrl("/hub/logout"));
        chromium.signIn(hub, ADMIN, "/hub/admin");
        WebElement services = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("services")));
        Map<String, String> kinds = new java.util.TreeMap<>();
        services.findElements(By.cssSelector("tr[data-service-row]"))
                .forEach(row -> kinds.put(row.getAttribute("data-service-row"), row.getAttribute("data-kind")));
        assertEquals(Map.of("idle-culler", "API only", "mlflow", "external", "tensorboard", "managed app"), kinds);
        js("arguments[0].scrollIntoView()", services);
        chromium.shot("team-apps-admin");
    }

    private static void js(String script, Object... args) {
        ((org.openqa.selenium.JavascriptExecutor) chromium.driver).executeScript(script, args);
    }
}
