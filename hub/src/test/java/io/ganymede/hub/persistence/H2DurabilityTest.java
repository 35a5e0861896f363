package io.ganymede.hub.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default's database URL, as the built hub reads it, makes H2 write each commit to
 * its file before the hub answers. By default H2 writes committed changes up to 500 ms later
 * (WRITE_DELAY), and a hub killed meanwhile loses users and tokens it answered 201 for. The end-to-end
 * {@code HubKillTest} shows the same by killing the hub.
 */
class H2DurabilityTest {

    @Test
    void theDefaultDatabaseWritesEachCommitBeforeTheHubAnswers(@TempDir Path dir) throws Exception {
        String url = defaultUrl();
        String prefix = "jdbc:h2:file:./data/";
        assertTrue(url.startsWith(prefix), url);
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir + "/" + url.substring(prefix.length()));
                ResultSet setting = connection.createStatement().executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertTrue(setting.next());
            assertEquals("0", setting.getString(1), "H2's write delay in ms with " + url);
        }
    }

    /** {@code quarkus.datasource.jdbc.url} of application.yaml in the production profile. */
    private static String defaultUrl() throws IOException {
        URL yaml = H2DurabilityTest.class.getClassLoader().getResource("application.yaml");
        SmallRyeConfig config = new SmallRyeConfigBuilder().withProfile("prod").withSources(new YamlConfigSource(yaml)).build();
        return config.getValue("quarkus.datasource.jdbc.url", String.class);
    }
}
