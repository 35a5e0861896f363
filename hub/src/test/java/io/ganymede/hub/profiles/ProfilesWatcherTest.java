package io.ganymede.hub.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload through a ConfigMap-style atomic symlink swap, as the kubelet performs it. */
class ProfilesWatcherTest {

    @TempDir
    Path mount;

    @Test
    void appliesValidVersionsAndRefusesBrokenOnesWhileInForce() throws Exception {
        publish("v1", "profiles:\n  - display_name: One\n");
        ProfileCatalog catalog = new ProfileCatalog(mount.resolve("profiles.yaml"), Clock.systemUTC());
        assertEquals(List.of("one"), slugs(catalog));
        // Watching only (poll off): the directory events alone must trigger the reload.
        try (ProfilesWatcher watcher = new ProfilesWatcher(catalog, true, Duration.ZERO)) {
            publish("v2", "profiles:\n  - display_name: Two\n");
            await(() -> slugs(catalog).equals(List.of("two")));

            publish("v3", "profiles:\n  - display_name: Three\n    app: shiny\n");
            await(() -> catalog.status().lastRefusedErrors().size() == 1);
            assertEquals(List.of("two"), slugs(catalog));
            assertTrue(catalog.status().lastRefusedErrors().get(0)
                    .endsWith("profiles.yaml:3:10: unknown app 'shiny'; expected one of jupyterlab, rstudio, code-server"));

            publish("v4", "profiles:\n  - display_name: Four\n");
            await(() -> slugs(catalog).equals(List.of("four")));
        }
    }

    @Test
    void pollingCatchesWhatWatchingMisses() throws Exception {
        publish("v1", "profiles:\n  - display_name: One\n");
        ProfileCatalog catalog = new ProfileCatalog(mount.resolve("profiles.yaml"), Clock.systemUTC());
        try (ProfilesWatcher watcher = new ProfilesWatcher(catalog, false, Duration.ofMillis(100))) {
            publish("v2", "profiles:\n  - display_name: Two\n");
            await(() -> slugs(catalog).equals(List.of("two")));
        }
    }

    /**
     * Writes a new timestamped directory, points {@code ..data} at it by renaming a fresh symlink
     * over the old one (atomic), as the kubelet does; {@code profiles.yaml -> ..data/profiles.yaml}.
     */
    private void publish(String version, String content) throws Exception {
        Path dir = Files.createDirectory(mount.resolve("..2026_" + version));
        Files.writeString(dir.resolve("profiles.yaml"), content);
        Path tmp = mount.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, dir.getFileName());
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (!Files.exists(mount.resolve("profiles.yaml"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(mount.resolve("profiles.yaml"), Path.of("..data/profiles.yaml"));
        }
    }

    private static List<String> slugs(ProfileCatalog c) {
        return c.current().profiles().stream().map(Profile::slug).toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
