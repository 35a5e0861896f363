package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Sharing a server from the home page, in two headless Chromiums, against JupyterHub 5.5's real
 * {@code jupyterhub-singleuser}: Alice, whom a custom role lets share, shares her server with
 * O'Brien, who opens it through the OAuth step and runs code in its kernel; Alice revokes and
 * O'Brien is refused; then a share link Alice makes, which O'Brien accepts, lets him in again.
 *
 * <p>When a refusal takes effect: a visit without the server's cookie goes through the OAuth step,
 * where the hub refuses at once. A browser that holds the cookie is let in as long as the server's
 * cached answer to "who is this token?" lives: {@code HubOAuth.cache_max_age}, 300 s by default,
 * {@value #CACHE_MAX_AGE} s here so the test need not wait five minutes. A grant reaches that
 * browser the same way.
 */
class SharingBrowserTest {

    private static final String ADMIN_TOKEN = "e2e-sharing-admin-token";
    private static final int CACHE_MAX_AGE = 8;
    private static final String ALICE = Names.ALICE;
    private static final String OBRIEN = Names.OBRIEN;
    private static final String SERVER = Names.prefix(ALICE, "");
    /** Alice's server says whose it is: O'Brien's code runs there as her. */
    private static final String CELL = "__import__('os').environ['JUPYTERHUB_USER']";
    private static final String ROLES = """
            ganymede:
              auth:
                roles:
                  - name: sharer
                    scopes: ["shares!user", "read:users:name", "read:groups:name"]
                    users: ["%s"]
            """.formatted(ALICE);

    private static HubProcess hub;
    private static Chromium alice;
    private static Chromium obrien;

    @BeforeAll
    static void start() throws Exception {
        hub = HubProcess.withConfig(ROLES, Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN_TOKEN,
                "GANYMEDE_SPAWNER_LOCAL_CMD", Peers.JupyterHub.V5_5.require().singleUser().toString(),
                "GANYMEDE_SPAWNER_LOCAL_ARGS", "--HubOAuth.cache_max_age=" + CACHE_MAX_AGE));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        alice = new Chromium();
        obrien = new Chromium();
        obrien.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable open : new AutoCloseable[] {alice, obrien, hub}) {
            if (open != null) {
                open.close();
            }
        }
    }

    @Test
    void aliceSharesHerServerRevokesItAndSharesItAgainByLink() throws Exception {
        // Both use the hub already: one shares with users the hub knows.
        assertEquals(201, call("POST", "/users/" + Names.path(ALICE), null).statusCode());
        assertEquals(201, call("POST", "/users/" + Names.path(OBRIEN), null).statusCode());
        hub.startServer(ADMIN_TOKEN, ALICE);

        // Alice shares her running server with O'Brien from her home page.
        alice.signIn(hub, ALICE, "/hub/home");
        WebElement sharing = alice.wait.until(d -> d.findElement(By.cssSelector("[data-share-server='']")));
        assertTrue(sharing.getText().contains("Not shared with anyone."), sharing.getText());
        sharing.findElement(By.cssSelector("form.share-form input[name=name]")).sendKeys(OBRIEN);
        sharing.findElement(By.cssSelector("form.share-form button[type=submit]")).click();
        By holder = By.cssSelector("tr[data-share-holder=\"user:" + OBRIEN + "\"]");
        alice.wait.withMessage(() -> "not shared: " + alice.driver.findElement(By.id("sharing-status")).getText())
                .until(ExpectedConditions.presenceOfElementLocated(holder));
        assertTrue(alice.driver.findElement(holder).getText().contains("access:servers!server=" + ALICE + "/"));
        alice.shot("sharing-01-alice-shared");

        // O'Brien finds it on his home page and opens it: the server's OAuth step lets him in.
        obrien.signIn(hub, OBRIEN, "/hub/home");
        WebElement shared = obrien.wait.until(d -> d.findElement(By.id("shared-with-me")));
        assertTrue(shared.getText().contains(ALICE), shared.getText());
        obrien.shot("sharing-02-obrien-home");
        shared.findElement(By.linkText("Open")).click();
        obrien.awaitLab(SERVER);
        obrien.shot("sharing-03-obrien-in-alices-server");
        assertEquals("'" + ALICE + "'", runCell(), "O'Brien's code runs in Alice's server");

        // O'Brien leaves JupyterLab; once the server's cached answer for his cookie is gone, one
        // request caches a fresh one, which lives CACHE_MAX_AGE from then.
        obrien.driver.get(hub.publicUrl("/hub/home"));
        Thread.sleep(Duration.ofSeconds(CACHE_MAX_AGE).plusMillis(500).toMillis());
        long primed = System.nanoTime();
        assertEquals(200L, serverStatus());
        // The answer was cached while that request ran, so it expires between these two.
        long expiresFrom = primed + Duration.ofSeconds(CACHE_MAX_AGE).toNanos();
        long expiresBy = System.nanoTime() + Duration.ofSeconds(CACHE_MAX_AGE).toNanos();

        // Alice revokes from her home page.
        alice.driver.findElement(holder).findElement(By.xpath(".//button[text()='Revoke']")).click();
        alice.driver.switchTo().alert().accept();
        alice.wait.until(ExpectedConditions.invisibilityOfElementLocated(holder));
        assertFalse(call("GET", "/shares/" + Names.path(ALICE) + "/", null).body().contains(OBRIEN));
        alice.shot("sharing-04-alice-revoked");

        // A visit without the server's cookie: refused at the OAuth step, at once.
        Browser fresh = new Browser();
        HttpResponse<String> refused = fresh.signIn(fresh.open(hub.publicUrl(SERVER + "lab")), OBRIEN);
        assertEquals(403, refused.statusCode(), refused.uri() + " " + refused.body());
        assertEquals("/hub/api/oauth2/authorize", refused.uri().getPath());
        obrien.driver.get(hub.publicUrl("/hub/home"));
        assertTrue(obrien.driver.findElements(By.id("shared-with-me")).isEmpty());

        // O'Brien's browser holds the cookie: let in while the cached answer lives, refused after.
        int allowedAfterRevoke = 0;
        long status;
        do {
            long asked = System.nanoTime();
            status = serverStatus();
            if (asked < expiresFrom) {
                assertEquals(200L, status, "refused before the server's cached answer expired");
            }
            assertTrue(status != 200 || asked < expiresBy, "still let in after the cached answer expired");
            allowedAfterRevoke += status == 200 ? 1 : 0;
            Thread.sleep(250);
        } while (status == 200);
        assertEquals(403L, status);
        System.out.printf("sharing: O'Brien's browser let in %d times after the revoke, refused %.1f s after its cached"
                + " answer was made (cache_max_age %d s)%n", allowedAfterRevoke, (System.nanoTime() - primed) / 1e9, CACHE_MAX_AGE);
        obrien.driver.get(hub.publicUrl(SERVER + "lab"));
        long lastCheck = System.nanoTime();
        assertTrue(obrien.driver.getPageSource().contains("403"), obrien.driver.getPageSource());
        obrien.shot("sharing-05-obrien-refused");

        // A share link: Alice makes it on her page, O'Brien accepts it and is let in again.
        alice.driver.findElement(By.cssSelector("[data-share-server=''] button[data-link-box]")).click();
        WebElement link = alice.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                "[data-share-server=''] .share-link")));
        String url = link.getText();
        assertTrue(url.startsWith(hub.publicUrl("/hub/accept-share?code=")), url);
        alice.shot("sharing-06-alice-link");
        obrien.driver.get(url);
        WebElement accept = obrien.wait.until(ExpectedConditions.elementToBeClickable(By.id("accept-share")));
        assertTrue(obrien.driver.findElement(By.tagName("main")).getText().contains(ALICE));
        obrien.shot("sharing-07-obrien-accept");
        // His cookie's last answer (not allowed) lives out its cache time before the grant can show.
        long wait = lastCheck + Duration.ofSeconds(CACHE_MAX_AGE + 1).toNanos() - System.nanoTime();
        Thread.sleep(Math.max(0, wait / 1_000_000));
        accept.click();
        obrien.awaitLab(SERVER);
        assertEquals("'" + ALICE + "'", runCell());
        obrien.shot("sharing-08-obrien-back-in");
        alice.driver.navigate().refresh();
        assertTrue(alice.driver.findElement(holder).isDisplayed());
        assertEquals("1 time", alice.driver.findElement(By.cssSelector(
                "[data-share-server=''] tr[data-share-link] td[data-label=Accepted]")).getText());
        alice.shot("sharing-09-alice-link-accepted");

        int stopped = call("DELETE", "/users/" + Names.path(ALICE) + "/server", null).statusCode();
        assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
    }

    /**
     * What Alice's server answers O'Brien's browser visiting its status page with the cookies it
     * holds. A visit, not a script's fetch: the server takes its cookie without an XSRF token only
     * from page loads.
     */
    private static long serverStatus() {
        obrien.driver.get(hub.publicUrl(SERVER + "api/status"));
        return (Long) ((JavascriptExecutor) obrien.driver)
                .executeScript("return performance.getEntriesByType('navigation')[0].responseStatus");
    }

    /**
     * Runs {@link #CELL} as JupyterLab does, from O'Brien's page with his cookies: a kernel started
     * over REST with the server's XSRF token, an execute request over the kernel's WebSocket.
     * Returns the result's text, or what went wrong.
     */
    private static String runCell() {
        return (String) async(obrien.driver, """
                const base = arguments[0], code = arguments[1];
                const xsrf = decodeURIComponent((document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1] || '');
                const id = () => Math.random().toString(36).slice(2);
                fetch(base + 'api/kernels', {method: 'POST', headers: {'X-XSRFToken': xsrf, 'Content-Type': 'application/json'},
                    body: JSON.stringify({name: 'python3'})})
                  .then(r => r.ok ? r.json() : r.text().then(t => { throw new Error(r.status + ' ' + t); }))
                  .then(kernel => {
                    const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + base + 'api/kernels/' + kernel.id
                        + '/channels?session_id=' + id());
                    const msg = id();
                    ws.onopen = () => ws.send(JSON.stringify({channel: 'shell', buffers: [], parent_header: {}, metadata: {},
                        header: {msg_id: msg, msg_type: 'execute_request', username: '', session: id(), version: '5.3'},
                        content: {code: code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false,
                          stop_on_error: true}}));
                    ws.onmessage = e => {
                      const m = JSON.parse(e.data);
                      if (m.msg_type === 'execute_result' && m.parent_header.msg_id === msg) {
                        ws.close();
                        done(m.content.data['text/plain']);
                      }
                    };
                    ws.onerror = () => done('WebSocket error');
                  })
                  .catch(e => done(String(e)));
                """, SERVER, CELL);
    }

    private static Object async(WebDriver driver, String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];\n" + script,
                args);
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return hub.api(ADMIN_TOKEN, method, path, body);
    }
}
