package io.ganymede.hub.profiles;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the {@link ProfileCatalog} in step with its file. A ConfigMap volume updates by writing a
 * new timestamped directory and swapping the {@code ..data} symlink, which changes no event on the
 * file's own name, so the whole directory is watched and any event triggers a re-read. The hash
 * poll catches what watching misses (network filesystems, events lost on overflow).
 */
public class ProfilesWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProfilesWatcher.class);

    private final ProfileCatalog catalog;
    private final ScheduledExecutorService timer;
    private WatchService watchService;
    private Thread watchThread;

    public ProfilesWatcher(ProfileCatalog catalog, boolean watch, Duration pollInterval) {
        this.catalog = catalog;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "profiles-poll");
            t.setDaemon(true);
            return t;
        });
        if (watch) {
            startWatching();
        }
        if (!pollInterval.isZero()) {
            long ms = pollInterval.toMillis();
            timer.scheduleWithFixedDelay(this::reloadQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void startWatching() {
        Path dir = catalog.path().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            LOG.infof("profiles: %s does not exist; relying on polling", dir);
            return;
        }
        try {
            watchService = FileSystems.getDefault().newWatchService();
            dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            LOG.warnf("profiles: cannot watch %s (%s); relying on polling", dir, e.getMessage());
            return;
        }
        watchThread = new Thread(this::watchLoop, "profiles-watch");
        watchThread.setDaemon(true);
        watchThread.start();
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                key.pollEvents();
                // A swap is several events in a row; let it settle, then read once.
                Thread.sleep(100);
                WatchKey more;
                while ((more = watchService.poll()) != null) {
                    more.pollEvents();
                    more.reset();
                }
                reloadQuietly();
                if (!key.reset()) {
                    LOG.warn("profiles: the watched directory went away; relying on polling");
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reloadQuietly() {
        try {
            catalog.reload();
        } catch (RuntimeException e) {
            LOG.errorf(e, "profiles: reload failed");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Starts the watcher with the hub and stops it with the hub. */
    @ApplicationScoped
    static class Lifecycle {
        private ProfilesWatcher watcher;

        void start(@Observes StartupEvent ev, ProfileCatalog catalog, ProfilesConfig config) {
            watcher = new ProfilesWatcher(catalog, config.watch(), config.pollInterval());
        }

        void stop(@Observes ShutdownEvent ev) {
            if (watcher != null) {
                watcher.close();
            }
        }
    }
}
