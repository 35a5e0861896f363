package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The README's quick start followed literally: the hub started with no settings (its embedded
 * proxy, H2, the local spawner and the development login; only the ports are free ones), its
 * first address opened in Chromium, a sign-in as {@code alice@example.com}, Start, and a running
 * notebook: Debian's real {@code jupyterhub-singleuser}, reached through the browser's OAuth step.
 * The last screen is {@code target/screenshots/quickstart-notebook.png}.
 */
class QuickStartTest {

    @Test
    void theReadmesFirstAddressLeadsToARunningNotebook() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/jupyterhub-singleuser")),
                "apt-get install -y jupyterhub python3-notebook python3-ipykernel");
        try (HubProcess hub = new HubProcess(Map.of()); Chromium chromium = new Chromium()) {
            hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
            var driver = chromium.driver;
            var wait = chromium.wait;

            driver.get(hub.publicUrl("/"));
            wait.until(ExpectedConditions.urlContains("/hub/login"));
            chromium.shot("quickstart-login");
            WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
            name.sendKeys(Names.ALICE);
            name.submit();
            wait.until(ExpectedConditions.urlContains("/hub/home"));
            chromium.shot("quickstart-home");

            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-server=''] a.button"))).click();
            wait.until(ExpectedConditions.urlContains("/hub/spawn/" + Names.path(Names.ALICE)));
            chromium.shot("quickstart-spawn");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("start"))).click();
            String server = Names.prefix(Names.ALICE, "");
            try {
                wait.until(d -> d.getCurrentUrl().contains(server + "tree") && !d.getTitle().isBlank());
            } catch (RuntimeException e) {
                chromium.shot("quickstart-failed");
                throw new AssertionError("no notebook at " + server + ", at " + driver.getCurrentUrl() + ":\n"
                        + driver.getPageSource() + "\n" + hub.logText(), e);
            }
            // The notebook's own page: its file list, served by the single-user server under alice's prefix.
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notebook_list")));
            assertTrue(driver.getCurrentUrl().startsWith(hub.publicUrl(server + "tree")), driver.getCurrentUrl());
            assertTrue(driver.getPageSource().contains("Logout"), "the notebook shows its signed-in header");
            // Its header shows the hub's logo (from /hub/logo), loaded.
            WebElement logo = driver.findElement(By.cssSelector("#ipython_notebook img"));
            assertEquals(Boolean.TRUE, ((org.openqa.selenium.JavascriptExecutor) driver)
                    .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", logo));
            chromium.shot("quickstart-notebook");
        }
    }
}
