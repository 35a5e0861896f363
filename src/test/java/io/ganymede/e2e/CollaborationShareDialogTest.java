package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
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
 * JupyterLab's own share dialog, from {@code jupyter-collaboration} 5.0.4 in JupyterHub 6.1's
 * single-user environment, working against Ganymede's API in headless Chromium: Alice opens the
 * dialog from JupyterLab's top bar; it asks the hub who she is with her login token, finds it may
 * share and list users, lists the hub's users, and shares with Bob when she picks him. The share is
 * then in Ganymede's API, Bob opens Alice's server, and the dialog's Revoke takes it away again.
 *
 * <p>The dialog decides from the scopes {@code GET /hub/api/user} reports for the server's login
 * token, so the deployment gives the server's OAuth client {@code shares!server},
 * {@code read:users:name} and {@code list:users}
 * ({@code ganymede.spawner.oauth-client-allowed-scopes}), and a role gives Alice those scopes.
 */
class CollaborationShareDialogTest {

    private static final String ADMIN_TOKEN = "e2e-collaboration-admin-token";
    private static final String ALICE = Names.ALICE;
    private static final String BOB = "bob@example.com";
    private static final String SERVER = Names.prefix(ALICE, "");
    private static final String CONFIG = """
            ganymede:
              auth:
                roles:
                  - name: collaborator
                    scopes: ["shares!user", "read:users:name", "list:users"]
                    users: ["%s"]
              spawner:
                oauth-client-allowed-scopes: ["shares!server", "read:users:name", "list:users"]
            """.formatted(ALICE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HubProcess hub;
    private static Chromium alice;
    private static Chromium bob;

    @BeforeAll
    static void start() throws Exception {
        hub = HubProcess.withConfig(CONFIG, Map.of(
                "GANYMEDE_ADMIN_TOKEN", ADMIN_TOKEN,
                "GANYMEDE_SPAWNER_LOCAL_CMD", Peers.JupyterHub.V6_1.require().singleUser().toString()));
        hub.awaitUp(hub.publicUrl("/hub/api/"), Duration.ofSeconds(60));
        alice = new Chromium();
        bob = new Chromium();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable open : new AutoCloseable[] {alice, bob, hub}) {
            if (open != null) {
                open.close();
            }
        }
    }

    @Test
    void aliceSharesHerServerWithBobFromJupyterLabsShareDialog() throws Exception {
        for (String user : List.of(ALICE, BOB, Names.OBRIEN)) {
            assertEquals(201, call("POST", "/users/" + Names.path(user), null).statusCode());
        }
        hub.startServer(ADMIN_TOKEN, ALICE);

        // Alice in her JupyterLab opens the dialog from the top bar's share button.
        alice.signIn(hub, ALICE, SERVER + "lab");
        alice.awaitLab(SERVER);
        WebElement share = alice.wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("[data-command='collaboration:shared-link']")));
        share.click();
        WebElement dialog = alice.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".jp-Dialog")));
        // The dialog for sharing with people, not the plain link one: the hub let it list users.
        alice.wait.withMessage(() -> "no user listed; dialog: " + dialog.getText() + "\n" + logTail())
                .until(d -> !recipients().isEmpty());
        assertTrue(dialog.getText().contains("Share Jupyter Server default"), dialog.getText());
        assertTrue(dialog.getText().contains("Your server is not shared to anybody yet."), dialog.getText());
        // Everyone else the hub knows, by their names as given, and not Alice herself.
        assertEquals(List.of(BOB, Names.OBRIEN), recipients().stream().map(WebElement::getText).toList());
        alice.shot("collaboration-01-share-dialog");

        // She picks Bob: the dialog creates the share and lists it.
        recipients().get(0).click();
        By bobsRow = By.xpath("//table[contains(@class,'jp-ManageSharesBody-shares-table')]//td[text()='" + BOB + "']");
        alice.wait.withMessage(() -> "share not listed: " + dialog.getText() + "\n" + logTail())
                .until(ExpectedConditions.presenceOfElementLocated(bobsRow));
        alice.shot("collaboration-02-shared-with-bob");

        // The share is in Ganymede's API, with the access the dialog asks for.
        JsonNode shares = JSON.readTree(call("GET", "/shares/" + Names.path(ALICE) + "/", null).body());
        assertEquals(1, shares.get("items").size(), shares.toString());
        JsonNode granted = shares.get("items").get(0);
        assertEquals(BOB, granted.get("user").get("name").asText());
        assertEquals(List.of("access:servers!server=" + ALICE + "/"),
                JSON.convertValue(granted.get("scopes"), List.class));

        // Bob opens Alice's server: the OAuth step lets him in with the share, and JupyterLab
        // shows him her files.
        bob.signIn(hub, BOB, SERVER + "lab");
        bob.awaitLab(SERVER);
        bob.wait.withMessage(() -> "Alice's files not listed for Bob\n" + logTail()).until(
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".jp-DirListing-content"), "server.log"));
        bob.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("jupyterlab-splash")));
        bob.shot("collaboration-03-bob-in-alices-server");

        // Alice revokes in the dialog: the share is gone from the API.
        alice.driver.findElement(bobsRow).findElement(By.xpath("..//button[text()='Revoke']")).click();
        alice.wait.until(ExpectedConditions.invisibilityOfElementLocated(bobsRow));
        assertFalse(call("GET", "/shares/" + Names.path(ALICE) + "/", null).body().contains(BOB));
        alice.shot("collaboration-04-revoked");

        int stopped = call("DELETE", "/users/" + Names.path(ALICE) + "/server", null).statusCode();
        assertTrue(stopped == 204 || stopped == 202, "stop answered " + stopped);
    }

    private static List<WebElement> recipients() {
        return alice.driver.findElements(By.cssSelector(".jp-Dialog .jp-ManageSharesBody-user-item"));
    }

    private static String logTail() {
        try {
            String log = hub.logText();
            return log.substring(Math.max(0, log.length() - 4000));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return hub.api(ADMIN_TOKEN, method, path, body);
    }
}
