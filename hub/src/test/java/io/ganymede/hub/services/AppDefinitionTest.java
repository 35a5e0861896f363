package io.ganymede.hub.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A managed app's definition: placeholders, route data and every refusal with its reason. */
class AppDefinitionTest {

    /** TensorBoard as README's example declares it. */
    static AppDefinition tensorboard() {
        return new AppDefinition("tensorboard", "tensorflow/tensorflow:2.20.0", List.of("tensorboard"),
                List.of("--logdir=/data/runs", "--path_prefix={prefix_no_slash}", "--host=0.0.0.0", "--port=6006"), 6006,
                false, "{prefix}", Map.of("TB_PREFIX", "{prefix}"), "250m", "2", "512M", "2G", "team-experiments", "/data",
                true, AppDefinition.DEFAULT_MOUNT_OPTIONS, null, List.of("data-science"), Duration.ofHours(1));
    }

    static AppDefinition with(String image, int port, String readyPath, String cpu, String mem, String bucket,
            String mountPath, Duration idle, List<String> groups, List<String> command) {
        return new AppDefinition("tensorboard", image, command, null, port, false, readyPath, Map.of(), cpu, null, mem,
                null, bucket, mountPath, true, null, null, groups, idle);
    }

    @Test
    void placeholdersExpandToTheServicePrefix() {
        AppDefinition app = tensorboard().checked(true);
        assertEquals("/services/tensorboard/", app.prefix());
        assertEquals(List.of("--logdir=/data/runs", "--path_prefix=/services/tensorboard", "--host=0.0.0.0", "--port=6006"),
                app.expand(app.args()));
        assertEquals("/services/tensorboard/", app.expand(app.readyPath()));
        assertEquals(Map.of(), app.routeData(), "the prefix is kept: TensorBoard serves under its --path_prefix");
        AppDefinition stripping = new AppDefinition("mlflow", "ghcr.io/mlflow/mlflow:v3.1.0", null, null, 5000, true, "/",
                Map.of(), null, null, null, null, null, null, true, null, null, List.of(), Duration.ofMinutes(30)).checked(false);
        assertEquals(Map.of("strip_prefix", true), stripping.routeData());
        assertEquals(null, stripping.expand((List<String>) null));
    }

    @Test
    void badDefinitionsAreRefusedWithTheirReason() {
        Duration hour = Duration.ofHours(1);
        List<String> none = List.of();
        assertRefused("app.image is required", with(" ", 6006, "/", null, null, null, null, hour, none, null), false);
        assertRefused("app.port must be 1 to 65535, not 0", with("i", 0, "/", null, null, null, null, hour, none, null), false);
        assertRefused("app.port must be 1 to 65535, not 70000", with("i", 70000, "/", null, null, null, null, hour, none, null), false);
        assertRefused("app.command is empty", with("i", 1, "/", null, null, null, null, hour, none, List.of()), false);
        assertRefused("app.ready-path must start with '/'", with("i", 1, "health", null, null, null, null, hour, none, null), false);
        assertRefused("app.cpu-guarantee is not a CPU quantity: lots", with("i", 1, "/", "lots", null, null, null, hour, none, null), false);
        assertRefused("app.mem-guarantee is not a memory quantity: 2 GB", with("i", 1, "/", null, "2 GB", null, null, hour, none, null), false);
        assertRefused("app.storage.bucket is required for gcsfuse", with("i", 1, "/", null, null, null, "/data", hour, none, null), true);
        assertRefused("app.storage.mount-path must be absolute: data", with("i", 1, "/", null, null, "b", "data", hour, none, null), true);
        assertRefused("app.idle-timeout must be positive", with("i", 1, "/", null, null, null, null, Duration.ZERO, none, null), false);
        assertRefused("app.groups has an empty name", with("i", 1, "/", null, null, null, null, hour, List.of(""), null), false);
    }

    private static void assertRefused(String reason, AppDefinition app, boolean storage) {
        ServiceDefinition.InvalidServiceException e = assertThrows(ServiceDefinition.InvalidServiceException.class,
                () -> app.checked(storage));
        assertTrue(e.getMessage().startsWith("Service tensorboard: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
