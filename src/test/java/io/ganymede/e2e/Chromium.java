package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium driven by its chromedriver; screenshots go to {@code target/screenshots/}. */
final class Chromium implements AutoCloseable {

    static final Path SHOTS = Path.of("target/screenshots");

    final WebDriver driver;
    final WebDriverWait wait;

    Chromium() throws Exception {
        this(false);
    }

    /**
     * @param networkLog keep the DevTools network events ({@code driver.manage().logs().get("performance")}),
     *     where WebSockets show, which no page script can list
     */
    Chromium(boolean networkLog) throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromedriver")), "apt-get install -y chromium chromium-driver");
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en-US");
        if (networkLog) {
            options.setCapability("goog:loggingPrefs", java.util.Map.of("performance", "ALL"));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        // Pages reload after an action: an element found just before the reload is simply looked up again.
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** Opens {@code path}, signs in as {@code name} on the hub's development login page it leads to, and waits to be back. */
    void signIn(HubProcess hub, String name, String path) {
        driver.get(hub.publicUrl(path));
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        field.sendKeys(name);
        field.submit();
        wait.until(ExpectedConditions.urlContains(path));
    }

    /** JupyterLab 4 loaded from the server at {@code prefix} ({@code /user/<name>/}): its shell is on the page. */
    void awaitLab(String prefix) {
        wait.until(ExpectedConditions.urlContains(prefix + "lab"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("jp-main-dock-panel")));
    }

    void shot(String name) throws Exception {
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
