package io.ganymede.e2e.testbed;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test bed's kubelet, for pods that must really serve: each pod the scheduler binds to a fake
 * node gets its own 127.1.x.y address and its container's command runs as a local process with
 * the pod's environment, its "0.0.0.0" (all interfaces of the pod's own network namespace on a
 * real node) replaced by that address. Volumes are folders: a claim's is its volume's folder
 * ({@link VolumeProvisioner}) with any sub-path, a GCSFuse bucket's is a folder per bucket, an
 * emptyDir's the pod's own; the container's working directory and {@code HOME} are the folder
 * mounted at its working directory, else at {@code /home/jovyan}, else its first mount. The pod
 * turns Ready when its readiness probe answers; a deleted pod's process gets SIGTERM, then
 * SIGKILL after the grace period, and the pod object is removed, as a kubelet does. An image the
 * test bed has no command for fails to pull.
 *
 * <p>Unlike a kubelet it runs processes as the test's own user (as root, a Jupyter server gets
 * {@code --allow-root}): the pod's {@code runAsUser} is checked by the API server's Pod Security
 * admission, not here.
 */
public final class StandInKubelet implements AutoCloseable {

    private static final Duration PROBE_EVERY = Duration.ofMillis(250);
    /** What a container's environment starts from, as an image's ENV would. */
    private static final List<String> IMAGE_ENV = List.of("PATH", "LANG", "LC_ALL");

    private final KubernetesClient client;
    private final Path root;
    private final VolumeProvisioner volumes;
    private final java.util.function.Function<String, Path> buckets;
    private final Map<String, Image> images = new ConcurrentHashMap<>();
    private final Map<String, Running> pods = new ConcurrentHashMap<>();
    /** Pod addresses count up from a random point, so test beds of concurrent runs rarely share one. */
    private final AtomicInteger addresses = new AtomicInteger(new java.util.Random().nextInt(200) * 250);
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stand-in-kubelet");
        t.setDaemon(true);
        return t;
    });
    /** Probes in HTTP/1.1, as a kubelet does: an h2c upgrade offer is a WebSocket-like upgrade to some apps. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final SharedIndexInformer<Pod> informer;

    /** A pod this kubelet runs. */
    private static final class Running {
        final String namespace;
        final String name;
        final String ip;
        volatile Process process;
        volatile boolean stopping;

        Running(String namespace, String name, String ip) {
            this.namespace = namespace;
            this.name = name;
            this.ip = ip;
        }
    }

    StandInKubelet(KubernetesClient client, Path root, VolumeProvisioner volumes, java.util.function.Function<String, Path> buckets) {
        this.client = client;
        this.root = root;
        this.volumes = volumes;
        this.buckets = buckets;
        informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                handle(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                handle(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                Running r = pods.remove(pod.getMetadata().getUid());
                if (r != null) {
                    work.submit(() -> kill(r, Duration.ZERO));
                }
            }
        });
    }

    /** What an image's entrypoint runs, and the environment its ENV lines set. */
    private record Image(List<String> entrypoint, Map<String, String> env) {}

    /** Teaches the "container runtime" an image: the command its entrypoint runs. */
    public void image(String image, List<String> entrypoint) {
        image(image, entrypoint, Map.of());
    }

    /** Teaches the "container runtime" an image: its entrypoint and the environment it sets. */
    public void image(String image, List<String> entrypoint, Map<String, String> env) {
        images.put(image, new Image(List.copyOf(entrypoint), Map.copyOf(env)));
    }

    /**
     * Teaches the "container runtime" what an image runs in one namespace only, e.g. a stand-in
     * server that answers at once for a storm of starts, without changing what other test classes
     * get for the same image.
     */
    public void image(String namespace, String image, List<String> entrypoint) {
        images.put(namespace + " " + image, new Image(List.copyOf(entrypoint), Map.of()));
    }

    /** The log of a pod's process, as {@code kubectl logs} would show it. */
    public Path log(String namespace, String pod) {
        return root.resolve("pods").resolve(namespace + "_" + pod + ".log");
    }

    private void handle(Pod pod) {
        String node = pod.getSpec().getNodeName();
        if (node == null || !FakeNodes.ADDRESSES.containsKey(node)) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            Running r = pods.get(uid);
            if (r == null) {
                // Never ran here (not started yet, or a kubelet before this one): just let it go.
                work.submit(() -> finalizeDelete(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
            } else if (!r.stopping) {
                r.stopping = true;
                Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
                work.submit(() -> {
                    kill(r, Duration.ofSeconds(grace == null ? 30 : grace));
                    finalizeDelete(r.namespace, r.name);
                });
            }
            return;
        }
        if (pod.getStatus() != null && pod.getStatus().getPodIP() != null || pods.containsKey(uid)) {
            return;
        }
        int n = addresses.getAndIncrement();
        Running r = new Running(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                "127.1." + (n / 250 % 250) + "." + (n % 250 + 2));
        if (pods.putIfAbsent(uid, r) == null) {
            work.submit(() -> run(pod, r));
        }
    }

    private void run(Pod pod, Running r) {
        Container c = pod.getSpec().getContainers().get(0);
        try {
            Image image = images.getOrDefault(r.namespace + " " + c.getImage(), images.get(c.getImage()));
            if (image == null) {
                status(pod, r, waiting(c, "ErrImagePull", "the test bed has no image " + c.getImage()), false);
                return;
            }
            List<String> command = new ArrayList<>(c.getCommand() != null && !c.getCommand().isEmpty()
                    ? c.getCommand() : image.entrypoint());
            if (c.getArgs() != null) {
                command.addAll(c.getArgs());
            }
            command.replaceAll(arg -> arg.replace("0.0.0.0", r.ip));
            if (command.stream().anyMatch(part -> part.contains("jupyterhub-singleuser")) && isRoot()) {
                command.add("--allow-root");
            }
            Map<String, Path> mounts = mounts(pod, c);
            Path home = mounts.getOrDefault(c.getWorkingDir() == null ? "" : c.getWorkingDir(),
                    mounts.getOrDefault("/home/jovyan", mounts.values().stream().findFirst().orElse(null)));
            if (home == null) {
                home = Files.createDirectories(root.resolve("pods").resolve(pod.getMetadata().getUid()));
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(r.namespace, r.name).toFile()));
            Map<String, String> env = builder.environment();
            env.keySet().retainAll(IMAGE_ENV);
            env.putAll(image.env());
            env.put("HOME", home.toString());
            env.put("HOSTNAME", r.name);
            for (EnvVar e : c.getEnv()) {
                env.put(e.getName(), e.getValueFrom() != null ? fieldRef(pod, r, e)
                        : e.getValue() == null ? "" : e.getValue().replace("0.0.0.0", r.ip));
            }
            r.process = builder.start();
        } catch (IOException | RuntimeException e) {
            status(pod, r, waiting(c, "CreateContainerError", e.getMessage()), false);
            return;
        }
        status(pod, r, running(c, false), false);
        boolean ready = false;
        while (r.process.isAlive() && !r.stopping) {
            if (!ready && probe(c, r)) {
                ready = true;
                status(pod, r, running(c, true), true);
            }
            try {
                r.process.waitFor(PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!r.process.isAlive() && !r.stopping) {
            int code = r.process.exitValue();
            // restartPolicy OnFailure: a kubelet would restart it and back off; the start has failed either way.
            status(pod, r, code == 0
                    ? new ContainerStatusBuilder(running(c, false)).withNewState().withNewTerminated()
                        .withExitCode(0).withReason("Completed").endTerminated().endState().build()
                    : new ContainerStatusBuilder(waiting(c, "CrashLoopBackOff", "back-off restarting failed container"))
                        .withNewLastState().withNewTerminated().withExitCode(code).withReason("Error").endTerminated()
                        .endLastState().build(), false);
        }
    }

    /** Folders for the container's mounts, by mount path. */
    private Map<String, Path> mounts(Pod pod, Container c) throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no volume " + m.getName()));
            Path folder;
            if (v.getPersistentVolumeClaim() != null) {
                var claim = client.persistentVolumeClaims().inNamespace(pod.getMetadata().getNamespace())
                        .withName(v.getPersistentVolumeClaim().getClaimName()).get();
                folder = volumes.folder(claim.getSpec().getVolumeName());
                volumes.mounted(claim);
            } else if (v.getCsi() != null && "gcsfuse.csi.storage.gke.io".equals(v.getCsi().getDriver())) {
                folder = buckets.apply(v.getCsi().getVolumeAttributes().get("bucketName"));
            } else if (v.getEmptyDir() != null || v.getProjected() != null || v.getConfigMap() != null
                    || v.getSecret() != null) {
                // Scratch, or files the process here does not read (a service account's token).
                folder = root.resolve("pods").resolve(pod.getMetadata().getUid()).resolve(v.getName());
            } else {
                throw new IllegalStateException("the test bed cannot mount volume " + v.getName());
            }
            if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
                folder = folder.resolve(m.getSubPath());
            }
            mounts.put(m.getMountPath(), Files.createDirectories(folder));
        }
        return mounts;
    }

    private static String fieldRef(Pod pod, Running r, EnvVar e) {
        var field = e.getValueFrom().getFieldRef();
        String path = field == null ? "" : field.getFieldPath();
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "status.podIP" -> r.ip;
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            default -> throw new IllegalStateException("the test bed cannot resolve " + e.getName());
        };
    }

    private boolean probe(Container c, Running r) {
        if (c.getReadinessProbe() == null || c.getReadinessProbe().getHttpGet() == null) {
            return true;
        }
        var get = c.getReadinessProbe().getHttpGet();
        int port = port(c, get.getPort());
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create("http://" + r.ip + ":" + port + get.getPath()))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int port(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow().getContainerPort();
    }

    private void status(Pod pod, Running r, ContainerStatus container, boolean ready) {
        String now = Instant.now().toString();
        boolean started = container.getState() != null && container.getState().getRunning() != null;
        boolean done = container.getState() != null && container.getState().getTerminated() != null;
        String phase = done ? "Succeeded" : started || container.getLastState() != null ? "Running" : "Pending";
        List<PodCondition> conditions = List.of(
                condition("PodScheduled", true, now), condition("Initialized", true, now),
                condition("ContainersReady", ready, now), condition("Ready", ready, now));
        // As a kubelet, it keeps posting while the API server cannot be reached (a restart).
        long until = System.nanoTime() + STATUS_RETRY.toNanos();
        while (true) {
            try {
                client.pods().inNamespace(r.namespace).withName(r.name).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                        .withPhase(phase).withHostIP(FakeNodes.ADDRESSES.get(pod.getSpec().getNodeName()))
                        .withPodIP(r.ip).withPodIPs().addNewPodIP(r.ip)
                        .withStartTime(p.getStatus() != null && p.getStatus().getStartTime() != null
                                ? p.getStatus().getStartTime() : now)
                        .withConditions(conditions).withContainerStatuses(container).withQosClass(null)
                        .endStatus().build());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404 || r.stopping || System.nanoTime() > until) {
                    // Deleted meanwhile: nothing to report.
                    return;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How long a status the API server does not take (restarting, overloaded) is posted again. */
    private static final Duration STATUS_RETRY = Duration.ofSeconds(60);

    private static PodCondition condition(String type, boolean status, String now) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False")
                .withLastTransitionTime(now).build();
    }

    private static ContainerStatus running(Container c, boolean ready) {
        return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                .withImageID(c.getImage()).withContainerID("testbed://" + c.getName())
                .withReady(ready).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState()
                .build();
    }

    private static ContainerStatus waiting(Container c, String reason, String message) {
        return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                .withReady(false).withStarted(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .build();
    }

    private static void kill(Running r, Duration grace) {
        Process p = r.process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private void finalizeDelete(String namespace, String name) {
        try {
            client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
        } catch (KubernetesClientException gone) {
            // Already gone.
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public void close() {
        informer.close();
        pods.values().forEach(r -> kill(r, Duration.ofSeconds(5)));
        work.shutdownNow();
    }
}
