package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the built hub's REST API from the OpenAPI description it serves at {@code /q/openapi},
 * with schemathesis from PyPI: no 5xx, and every status code, content type and body as described.
 * The work is src/test/fuzz/run-schemathesis.sh (which installs schemathesis, starts and seeds the
 * hub); this runs it in {@code mvn verify} and fails with its report.
 */
class SchemathesisTest {

    /** Installing schemathesis the first time takes about a minute; the run itself a few. */
    private static final long TIMEOUT_MINUTES = 15;

    @Test
    void theHubAnswersAsItsDescriptionSays() throws Exception {
        Path script = HubProcess.ROOT.resolve("src/test/fuzz/run-schemathesis.sh");
        Path report = HubProcess.ROOT.resolve("src/test/target/schemathesis");
        Path output = Files.createTempFile("schemathesis", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString())
                .directory(HubProcess.ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("ST_REPORT_DIR", report.toString());
        // Plain text: the report is read in a log, not a terminal.
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        String log = Files.readString(output);
        Files.deleteIfExists(output);
        // The whole report goes to the build's output; the failure message points at it.
        System.out.println(log);
        assertTrue(finished, "schemathesis did not finish within " + TIMEOUT_MINUTES + " minutes; its output is above");
        assertEquals(0, process.exitValue(), "schemathesis found problems: its report is above (JUnit XML in " + report
                + "); known ones go in src/test/fuzz/baseline.json, with a note");
    }
}
