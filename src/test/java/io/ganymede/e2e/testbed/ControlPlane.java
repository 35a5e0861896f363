package io.ganymede.e2e.testbed;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real control plane of {@code src/test/testbed/start.sh} (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler on loopback), run as a child process in its own folder
 * and stopped with it.
 */
final class ControlPlane implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    final Path dir;
    final Path kubeconfig;
    private final Process process;

    ControlPlane(Path root, Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.kubeconfig = dir.resolve("kubeconfig");
        Path script = root.resolve("src/test/testbed/start.sh");
        process = new ProcessBuilder(script.toString(), dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("start.log").toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(dir.resolve("ready"))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the test bed's control plane did not start:\n" + logs());
            }
            Thread.sleep(100);
        }
    }

    KubernetesClient client() throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Kills the API server (SIGKILL: open connections and watches break at once, as when its
     * node fails), keeps it down for {@code down}, then starts it again on the same port and etcd
     * data, and waits until it is ready.
     */
    void restartApiServer(Duration down, KubernetesClient client) throws IOException, InterruptedException {
        Path flag = dir.resolve("restart-apiserver");
        Files.writeString(flag, "");
        long pid = Long.parseLong(Files.readString(dir.resolve("apiserver.pid")).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Thread.sleep(down.toMillis());
        Files.delete(flag);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if ("ok".equals(client.raw("/readyz"))) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // refused or not ready yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the API server did not come back:\n" + logs());
            }
            Thread.sleep(200);
        }
    }

    /** The components' logs, for a failure message. */
    String logs() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).sorted().map(f -> {
                try {
                    String text = Files.readString(f);
                    return "== " + f.getFileName() + "\n" + text.substring(Math.max(0, text.length() - 4000));
                } catch (IOException e) {
                    return "== " + f.getFileName() + ": " + e.getMessage();
                }
            }).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }
}
