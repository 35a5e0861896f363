package io.ganymede.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void understandsWhatJupyterHubPasses() {
        // ConfigurableHTTPProxy.start in JupyterHub 3.x, with SSL and host routing turned on.
        CommandLine cli = CommandLine.parse(new String[] {
            "--ip", "", "--port", "8000", "--api-ip", "127.0.0.1", "--api-port", "8001",
            "--error-target", "http://127.0.0.1:8081/hub/error", "--log-level", "debug", "--host-routing",
            "--ssl-key", "/k.pem", "--ssl-cert", "/c.pem", "--api-ssl-request-cert", "--client-ssl-ca", "/ca.pem"}, "secret");
        ProxyOptions o = cli.options();
        assertEquals("", o.ip());
        assertEquals(8000, o.port());
        assertEquals("127.0.0.1", o.apiIp());
        assertEquals(8001, o.apiPort());
        assertEquals("http://127.0.0.1:8081/hub/error", o.errorTarget());
        assertEquals("secret", o.authToken());
        assertEquals("debug", cli.logLevel());
        assertNull(o.defaultTarget());
        assertEquals(5, cli.warnings().size(), cli.warnings().toString());
        assertTrue(cli.warnings().get(1).contains("--ssl-key /k.pem"));
    }

    @Test
    void ownFlagsAndEqualsForm() {
        CommandLine cli = CommandLine.parse(new String[] {
            "--default-target=http://127.0.0.1:8081", "--timeout", "90000", "--no-x-forward", "--event-loops", "3"}, null);
        ProxyOptions o = cli.options();
        assertEquals("http://127.0.0.1:8081", o.defaultTarget());
        assertEquals(Duration.ofSeconds(90), o.idleTimeout());
        assertFalse(o.xForward());
        assertEquals(3, o.eventLoops());
        assertTrue(cli.warnings().isEmpty());
    }

    @Test
    void defaultsAreLongPollFriendly() {
        ProxyOptions o = ProxyOptions.defaults();
        assertEquals(8000, o.port());
        assertEquals(8001, o.apiPort());
        assertEquals("127.0.0.1", o.ip());
        assertTrue(o.idleTimeout().toSeconds() >= 60);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--port", "x"}, null));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--port"}, null));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"stray"}, null));
    }
}
