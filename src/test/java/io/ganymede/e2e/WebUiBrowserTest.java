package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The hub's pages in a real browser (Debian's headless Chromium): sign in, pick a profile and an
 * option, watch the progress bar reach 100 % while the local spawner starts the real
 * {@code jupyterhub-singleuser}, land in the server, come home and stop it; create and revoke a
 * token; an admin sees a refused profiles.yaml with its errors. HTML in names and descriptions
 * stays text, and form posts without the XSRF token are refused. Screenshots of each page go to
 * {@code target/screenshots/}.
 */
class WebUiBrowserTest {

    private static final String ADMIN_TOKEN = "e2e-ui-admin-token";
    private static final String ADMIN_USER = "root@example.com";
    /** The person who uses the hub: an e-mail name with characters escaped in URLs. */
    private static final String USER = Names.OBRIEN;
    private static final String USER_PATH = Names.path(USER);
    /** Harmless if it ever ran: the test checks the flag stays unset. */
    private static final String EVIL = "<img src=x onerror=window.__xss=1>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PROFILES = """
            profiles:
              - display_name: "Small <b>CPU</b>"
                slug: small
                description: "Two CPUs %s for exploring data."
                default: true
                kubespawner_override:
                  cpu_limit: 2
                  mem_limit: 4G
                profile_options:
                  flavor:
                    display_name: Flavor
                    choices:
                      plain:
                        display_name: Plain
                        default: true
                      extra:
                        display_name: Extra kernels
                        kubespawner_override:
                          environment:
                            UI_FLAVOR: extra
                    unlisted_choice:
                      enabled: true
                      display_name: Other flavor
                      validation_regex: "^[a-z]+$"
                      validation_message: Lower-case letters only.
                      kubespawner_override:
                        environment:
                          UI_FLAVOR: "{value}"
              - display_name: Broken on purpose
                slug: broken
                description: Its Python cannot start, so every start fails.
                kubespawner_override:
                  environment:
                    PYTHONHOME: /nonexistent
              - display_name: "GPU (T4)"
                slug: gpu
                description: One T4 GPU, for training.
                gpu: nvidia-tesla-t4
                kubespawner_override:
                  extra_resource_limits:
                    nvidia.com/gpu: "1"
            """.formatted(EVIL);

    private static HubProcess hub;
    private static Path profiles;
    private static Chromium chromium;
    private static WebDriver driver;
    private static WebDriverWait wait;
    private final HttpClient api = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("ganymede-ui");
        profiles = dir.resolve("profiles.yaml");
        Files.writeString(profiles, PROFILES);
        hub = new HubProcess(Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN_TOKEN,
                "GANYMEDE_AUTH_ADMIN_USERS", ADMIN_USER,
                "GANYMEDE_PROFILES_PATH", profiles.toString(),
                "GANYMEDE_PROFILES_POLL_INTERVAL", "1s",
                // Warned from the start (stop after 15 min idle, warning 20 min ahead); no pass runs meanwhile.
                "GANYMEDE_CULLER_TIMEOUT", "900",
                "GANYMEDE_CULLER_WARNING", "20m",
                // The server takes two seconds more to start, as a pod always does: the start then
                // outlasts the spawn form's one-second early answer, so the progress page is always
                // shown (a start within that second goes straight to the server, as in JupyterHub).
                "GANYMEDE_SPAWNER_LOCAL_CMD", "/bin/sh,-c,sleep 2; exec jupyterhub-singleuser \"$@\",jupyterhub-singleuser"));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        chromium = new Chromium();
        driver = chromium.driver;
        wait = chromium.wait;
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aPersonUsesTheHubInABrowser() throws Exception {
        // Sign in: the development login says clearly that it is insecure.
        // From the README's first address, as a person starts.
        driver.get(hub.publicUrl("/"));
        wait.until(ExpectedConditions.urlContains("/hub/login"));
        assertTrue(text("main").contains("Insecure development login"), text("main"));
        shot("01-login");
        signIn(USER);
        wait.until(ExpectedConditions.urlContains("/hub/home"));
        assertTrue(text("footer").matches("(?s).*Ganymede \\S+.*"), text("footer"));
        shot("02-home");

        // The picker: a card per profile, HTML in a profile's name and description shown as text.
        click(By.cssSelector("tr[data-server=''] a.button"));
        wait.until(ExpectedConditions.urlContains("/hub/spawn/" + USER_PATH));
        assertEquals(3, driver.findElements(By.cssSelector(".profile")).size());
        WebElement small = driver.findElement(By.cssSelector(".profile[data-profile='small']"));
        assertTrue(small.getText().contains("Small <b>CPU</b>"), small.getText());
        assertTrue(small.getText().contains(EVIL), small.getText());
        assertTrue(driver.findElements(By.cssSelector(".profile img, .profile b")).isEmpty());
        assertTrue(small.getText().contains("up to 2"), small.getText());
        assertTrue(driver.findElement(By.cssSelector(".profile[data-profile='gpu']")).getText().contains("1 × T4"));

        // Free text is checked before it is sent; then a listed choice is picked.
        Select flavor = new Select(small.findElement(By.cssSelector("select")));
        flavor.selectByValue("unlisted_choice");
        WebElement other = small.findElement(By.cssSelector(".unlisted input"));
        assertTrue(other.isDisplayed());
        other.sendKeys("Not Valid!");
        assertEquals(Boolean.FALSE, js("return arguments[0].checkValidity()", other));
        shot("03-spawn");
        flavor.selectByValue("extra");
        assertFalse(other.isDisplayed());

        // Start: the progress page follows the real server's start to 100 %, then opens it.
        click(By.id("start"));
        wait.until(ExpectedConditions.urlContains("/hub/spawn-pending/" + USER_PATH));
        shot("04-spawn-pending");
        long highest = 0;
        boolean shotAtFull = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (driver.getCurrentUrl().contains("/hub/spawn-pending/") && System.nanoTime() < deadline) {
            Object value = js("var p = document.getElementById('progress-bar'); return p ? p.value : -1");
            highest = Math.max(highest, ((Number) value).longValue());
            if (highest == 100 && !shotAtFull) {
                shot("05-spawn-pending-100");
                shotAtFull = true;
            }
            Thread.sleep(50);
        }
        long reached = highest;
        assertEquals(100, reached, () -> "progress bar stopped at " + reached + " %: " + driver.getPageSource() + "\n" + log());
        wait.until(ExpectedConditions.urlContains("/user/" + USER_PATH + "/"));
        wait.until(d -> d.getTitle() != null && !d.getTitle().isBlank() && d.getCurrentUrl().contains("/user/" + USER_PATH + "/tree"));
        shot("06-server");
        JsonNode server = JSON.readTree(call("GET", "/users/" + USER_PATH, null).body()).path("servers").path("");
        assertEquals("small", server.path("user_options").path("profile").asText(), server.toString());
        assertEquals("extra", server.path("user_options").path("flavor").asText(), server.toString());

        // XSRF: the same form posted without its token, and an API change without the header, are refused.
        Object formStatus = asyncJs("fetch('/hub/spawn/" + USER_PATH + "', {method: 'POST', body: new URLSearchParams({profile: 'small'})})"
                + ".then(r => done(r.status))");
        assertEquals(403L, formStatus);
        Object apiStatus = asyncJs("fetch('/hub/api/users/" + USER_PATH + "/server', {method: 'DELETE'}).then(r => done(r.status))");
        assertEquals(403L, apiStatus);

        // Home shows the running server with its profile; Stop stops it.
        driver.get(hub.publicUrl("/hub/home"));
        WebElement row = driver.findElement(By.cssSelector("tr[data-server='']"));
        assertTrue(row.getText().contains("running"), row.getText());
        assertTrue(row.getText().contains("Small <b>CPU</b>"), row.getText());
        assertTrue(row.getText().matches("(?s).*stops in 1[45] min if idle.*"), row.getText());
        shot("07-home-running");
        // The idle warning's Keep alive reports activity now.
        String before = server.path("last_activity").asText();
        clickAndAwaitReload(By.xpath("//button[text()='Keep alive']"));
        wait.until(d -> {
            try {
                return !JSON.readTree(call("GET", "/users/" + USER_PATH, null).body()).path("servers").path("")
                        .path("last_activity").asText().equals(before);
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals("", text("#flash"));
        // Scheduled starts: add one, see it listed with its next run, delete it.
        driver.findElement(By.id("sched-cron")).sendKeys("0 8 * * 1-5");
        click(By.cssSelector("#schedule-form button[type=submit]"));
        wait.until(d -> d.findElements(By.cssSelector("#schedules tbody tr")).size() == 1);
        assertTrue(text("#schedules tbody").contains("0 8 * * 1-5"), text("#schedules"));
        shot("07b-home-schedules");
        clickAndAwaitReload(By.cssSelector("#schedules tbody button"));
        wait.until(d -> d.findElement(By.id("schedules")).isDisplayed()
                && d.findElements(By.cssSelector("#schedules tbody tr")).isEmpty());
        driver.navigate().refresh();
        click(By.xpath("//tr[@data-server='']//button[text()='Stop']"));
        wait.until(d -> d.findElement(By.cssSelector("tr[data-server='']")).getText().contains("stopped"));
        // The spawn page now remembers the last choice.
        driver.get(hub.publicUrl("/hub/spawn/" + USER_PATH));
        assertEquals("extra", new Select(driver.findElement(By.cssSelector(".profile[data-profile='small'] select")))
                .getFirstSelectedOption().getAttribute("value"));
        // A start that fails: the reason, what to do, and a way to try again.
        click(By.cssSelector(".profile[data-profile='broken'] input[name=profile]"));
        click(By.id("start"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("spawn-failed")));
        assertTrue(text("#spawn-failed-reason").startsWith("Spawn failed"), text("#spawn-failed"));
        assertFalse(driver.findElement(By.id("cancel-spawn")).isDisplayed());
        shot("07c-spawn-failed");
        click(By.linkText("Try again"));
        wait.until(ExpectedConditions.urlContains("/hub/spawn/" + USER_PATH));
        // A server that is gone: the 503 page with a way back.
        driver.get(hub.publicUrl("/user/" + USER_PATH + "/tree"));
        wait.until(ExpectedConditions.urlContains("/hub/user/" + USER_PATH + "/"));
        assertTrue(text("main").contains("not running"), text("main"));
        shot("08-not-running");

        // Tokens: create one (the secret shown once works), then revoke it (it stops working).
        driver.get(hub.publicUrl("/hub/token"));
        driver.findElement(By.id("token-note")).sendKeys("nightly pipeline");
        click(By.cssSelector("#token-form button[type=submit]"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-token")));
        String secret = driver.findElement(By.id("new-token-value")).getText();
        assertTrue(secret.length() >= 16, secret);
        shot("09-token-created");
        assertEquals(200, withToken(secret).statusCode());
        driver.get(hub.publicUrl("/hub/token"));
        WebElement tokenRow = driver.findElement(By.xpath("//table[@id='api-tokens']//tr[td[text()='nightly pipeline']]"));
        shot("10-token-list");
        tokenRow.findElement(By.xpath(".//button[text()='Revoke']")).click();
        driver.switchTo().alert().accept();
        wait.until(d -> d.findElements(By.xpath("//tr[td[text()='nightly pipeline']]")).isEmpty());
        assertEquals(403, withToken(secret).statusCode());

        // The admin page: a user whose name is HTML is shown as text; a refused profiles.yaml shows its errors.
        assertEquals(201, call("POST", "/users/" + URLEncoder.encode(EVIL, StandardCharsets.UTF_8).replace("+", "%20"), null).statusCode());
        String broken = "profiles:\n  - display_name: Broken\n    slug: \"Not A Slug!\"\n    storage:\n      kind: floppy\n";
        Files.writeString(profiles, broken);
        long refused = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (JSON.readTree(call("GET", "/profiles/status", null).body()).path("last_refused_errors").isEmpty()) {
            assertTrue(System.nanoTime() < refused, "profiles.yaml edit never refused:\n" + hub.logText());
            Thread.sleep(200);
        }
        driver.get(hub.publicUrl("/hub/logout"));
        wait.until(ExpectedConditions.urlContains("/hub/login"));
        driver.get(hub.publicUrl("/hub/admin"));
        wait.until(ExpectedConditions.urlContains("/hub/login"));
        signIn(ADMIN_USER);
        wait.until(ExpectedConditions.urlContains("/hub/admin"));
        String users = text("#users");
        assertTrue(users.contains(EVIL), users);
        assertTrue(users.contains(USER), users);
        assertTrue(driver.findElements(By.cssSelector("#users img")).isEmpty());
        WebElement refusal = driver.findElement(By.id("profiles-refused"));
        assertTrue(refusal.getText().contains("was refused"), refusal.getText());
        assertTrue(refusal.getText().contains(profiles.toString()), refusal.getText());
        assertTrue(text("#profiles-status").contains("Small <b>CPU</b>"), "the version in force stays listed");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("culler")));
        assertTrue(text("#culler").contains("Idle timeout"), text("#culler"));
        driver.manage().window().setSize(new Dimension(1280, 2400));
        shot("11-admin");
        driver.manage().window().setSize(new Dimension(1280, 1000));
        // The page offers no way to change profiles.yaml, and nothing changed it.
        assertTrue(driver.findElements(By.cssSelector("#profiles-status form, #profiles-status button")).isEmpty());
        assertEquals(broken, Files.readString(profiles));
        assertEquals(3, JSON.readTree(call("GET", "/profiles/status", null).body()).path("profiles").size());
        assertEquals(null, js("return window.__xss === undefined ? null : 'ran'"));

        // An admin schedules starts for a whole group from the admin page; members see it on their home page.
        assertEquals(201, call("POST", "/groups/ml", "{\"users\": [\"" + USER + "\", \"" + ADMIN_USER + "\"]}").statusCode());
        driver.navigate().refresh();
        WebElement ml = wait.until(d -> d.findElement(By.cssSelector("[data-group='ml']")));
        ml.findElement(By.cssSelector("details.group-schedules summary")).click();
        WebElement form = ml.findElement(By.cssSelector("form.schedule-form"));
        form.findElement(By.name("cron")).sendKeys("45 8 * * 1-5");
        WebElement zone = form.findElement(By.name("time_zone"));
        zone.clear(); // filled in with the browser's own zone
        zone.sendKeys("Asia/Tokyo");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(() -> "no group schedule row; status: " + text("#groups-status"))
                .until(d -> !d.findElements(By.cssSelector("[data-group='ml'] tr[data-group-schedule]")).isEmpty());
        JsonNode groupSchedules = JSON.readTree(call("GET", "/groups/ml/schedules", null).body());
        assertEquals(1, groupSchedules.size(), groupSchedules.toString());
        assertEquals("45 8 * * 1-5", groupSchedules.get(0).path("cron").asText());
        assertEquals("Asia/Tokyo", groupSchedules.get(0).path("time_zone").asText());
        driver.findElement(By.cssSelector("[data-group='ml'] details.group-schedules summary")).click(); // closed by the reload
        shot("12-admin-group-schedule");
        driver.get(hub.publicUrl("/hub/home"));
        String fromGroups = text("#group-schedules");
        assertTrue(fromGroups.contains("ml") && fromGroups.contains("Asia/Tokyo") && fromGroups.contains("45 8 * * 1-5"), fromGroups);

        // JupyterHub-style error page, and the home page at phone width without sideways scrolling.
        driver.get(hub.publicUrl("/hub/error/404"));
        assertTrue(text("main").contains("Not Found"), text("main"));
        shot("13-error-404");
        driver.manage().window().setSize(new Dimension(390, 844));
        driver.get(hub.publicUrl("/hub/home"));
        assertEquals(Boolean.TRUE, js("return document.documentElement.scrollWidth <= window.innerWidth"));
        shot("14-home-phone");
    }

    private static String log() {
        try {
            return hub.logText();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void signIn(String name) {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        field.sendKeys(name);
        field.submit();
    }

    /** Clicks a button whose action reloads the page, and waits for the new page: the old one's elements would mislead. */
    private static void clickAndAwaitReload(By by) {
        js("window.__beforeReload = true");
        click(by);
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return window.__beforeReload === undefined && document.readyState === 'complete'")));
    }

    private static void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private static String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static Object asyncJs(String script) {
        return ((JavascriptExecutor) driver).executeAsyncScript("var done = arguments[arguments.length - 1]; " + script);
    }

    private static void shot(String name) throws Exception {
        chromium.shot(name);
    }

    private HttpResponse<String> withToken(String secret) throws Exception {
        return api.send(HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api/user")))
                .header("Authorization", "token " + secret).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.publicUrl("/hub/api" + path)))
                .header("Authorization", "token " + ADMIN_TOKEN).timeout(Duration.ofSeconds(60));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = api.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertNotNull(response);
        return response;
    }
}
