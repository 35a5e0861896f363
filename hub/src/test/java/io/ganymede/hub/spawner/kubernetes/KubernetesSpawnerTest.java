package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.hub.spawner.PollResult;
import io.ganymede.hub.spawner.ProgressEvent;
import io.ganymede.hub.spawner.ServerHandle;
import io.ganymede.hub.spawner.SpawnRequest;
import io.ganymede.hub.spawner.SpawnResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The spawner against fabric8's CRUD mock API server. Nothing runs pods there, so each test plays
 * the scheduler and the kubelet: it writes the pod status and events a real cluster would.
 */
@QuarkusTest
@QuarkusTestResource(value = KubernetesMockResource.class, restrictToAnnotatedClass = true)
class KubernetesSpawnerTest {

    static final String NS = "ganymede";

    @Inject
    KubernetesSpawner spawner;

    @Inject
    KubernetesClient client;

    static Map<String, Object> pdSpec() {
        return Map.of("profile", "cpu-small", "app", "jupyterlab", "image", "quay.io/jupyter/scipy-notebook:x",
                "mem_limit", "1G", "storage", Map.of("kind", "pd", "size", "5Gi"));
    }

    static SpawnRequest request(String user, String server, Map<String, Object> spec) {
        return new SpawnRequest(user, server, Map.of("JUPYTERHUB_API_TOKEN", "t",
                "JUPYTERHUB_SERVICE_PREFIX", "/user/" + user + "/"), Map.of(), spec, Map.of());
    }

    /** Starts a spawn and returns its future result. */
    CompletableFuture<SpawnResult> start(SpawnRequest r, List<ProgressEvent> progress) {
        CompletableFuture<SpawnResult> f = new CompletableFuture<>();
        Cancellable c = spawner.start(r, progress::add).subscribe().with(f::complete, f::completeExceptionally);
        assertNotNull(c);
        return f;
    }

    Pod awaitPod(String name) {
        return await(() -> client.pods().inNamespace(NS).withName(name).get(), "pod " + name + " created");
    }

    void kubelet(String name, PodStatus status) {
        Pod pod = client.pods().inNamespace(NS).withName(name).get();
        pod.setStatus(status);
        client.pods().inNamespace(NS).resource(pod).updateStatus();
    }

    void event(Pod pod, String reason, String type, String message) {
        client.v1().events().inNamespace(NS).resource(new EventBuilder()
                .withNewMetadata().withGenerateName(pod.getMetadata().getName() + ".").withNamespace(NS).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod.getMetadata().getName()).withNamespace(NS)
                    .withUid(pod.getMetadata().getUid()).endInvolvedObject()
                .withReason(reason).withType(type).withMessage(message).build()).create();
    }

    static PodStatus running(String ip) {
        return new PodStatusBuilder().withPhase("Running").withPodIP(ip)
                .withContainerStatuses(new ContainerStatusBuilder().withName("notebook").withReady(true)
                        .withNewState().withNewRunning().endRunning().endState().build())
                .build();
    }

    static PodStatus waiting(String reason, String message) {
        return new PodStatusBuilder().withPhase("Pending")
                .withContainerStatuses(new ContainerStatusBuilder().withName("notebook").withReady(false)
                        .withImage("quay.io/jupyter/scipy-notebook:x")
                        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                        .build())
                .build();
    }

    @Test
    void pendingThenRunningWithProgressFromEvents() throws Exception {
        List<ProgressEvent> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<SpawnResult> result = start(request("alice", "", pdSpec()), progress);
        Pod pod = awaitPod("jupyter-alice");

        // The claim exists before the pod and is ReadWriteOnce.
        var pvc = client.persistentVolumeClaims().inNamespace(NS).withName("claim-alice").get();
        assertEquals(List.of("ReadWriteOnce"), pvc.getSpec().getAccessModes());
        assertEquals("5Gi", pvc.getSpec().getResources().getRequests().get("storage").toString());
        assertEquals("claim-alice", pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        assertEquals("alice", pod.getMetadata().getLabels().get("hub.jupyter.org/username"));

        kubelet("jupyter-alice", new PodStatusBuilder().withPhase("Pending").build());
        event(pod, "Scheduled", "Normal", "Successfully assigned ganymede/jupyter-alice to node-1");
        event(pod, "Pulling", "Normal", "Pulling image \"quay.io/jupyter/scipy-notebook:x\"");
        await(() -> progress.stream().anyMatch(p -> p.message().startsWith("Pulling the image")) ? true : null,
                "pulling progress");
        assertFalse(result.isDone());

        kubelet("jupyter-alice", running("127.0.0.5"));
        SpawnResult r = result.get(10, TimeUnit.SECONDS);
        assertEquals("http://127.0.0.5:8888", r.url());
        assertEquals(Map.of("pod_name", "jupyter-alice", "namespace", NS, "pvc_name", "claim-alice",
                "app", "jupyterlab", "profile", "cpu-small"), r.state());
        assertEquals(Map.of(), r.routeData());

        List<Integer> values = progress.stream().map(ProgressEvent::progress).toList();
        assertEquals(values.stream().sorted().toList(), values, "progress never goes back");
        assertTrue(progress.stream().anyMatch(p -> p.progress() == 25 && p.message().contains("node-1")));

        // poll answers from the cache; stop deletes the pod and keeps the claim.
        ServerHandle handle = new ServerHandle("alice", "", r.state());
        assertTrue(spawner.poll(handle).await().atMost(Duration.ofSeconds(5)).running());
        spawner.stop(handle).await().atMost(Duration.ofSeconds(10));
        assertNull(client.pods().inNamespace(NS).withName("jupyter-alice").get());
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("claim-alice").get());
        await(() -> spawner.poll(handle).await().atMost(Duration.ofSeconds(5)).running() ? null : true, "poll stopped");
        PollResult after = spawner.poll(handle).await().atMost(Duration.ofSeconds(5));
        assertEquals("pod jupyter-alice no longer exists", after.reason());
    }

    @Test
    void rstudioRouteDataAndExistingClaimReused() throws Exception {
        // A claim left by an earlier server (or by KubeSpawner) is reused, not replaced.
        client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("claim-carol").withNamespace(NS).addToLabels("keep", "me").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("20Gi")).endResources().endSpec()
                .build()).create();
        CompletableFuture<SpawnResult> result = start(request("carol", "", Map.of("app", "rstudio", "profile", "rstudio",
                "storage", Map.of("kind", "pd"))), new CopyOnWriteArrayList<>());
        awaitPod("jupyter-carol");
        kubelet("jupyter-carol", running("127.0.0.6"));
        SpawnResult r = result.get(10, TimeUnit.SECONDS);
        assertEquals("http://127.0.0.6:8787", r.url());
        assertEquals(Map.of("strip_prefix", true, "rstudio", true), r.routeData());
        assertEquals("me", client.persistentVolumeClaims().inNamespace(NS).withName("claim-carol").get()
                .getMetadata().getLabels().get("keep"));
        spawner.stop(new ServerHandle("carol", "", r.state())).await().atMost(Duration.ofSeconds(10));
    }

    /** KubeSpawner's remember_pvc_name: a server renamed since (JupyterHub 6.0) keeps its disk. */
    @Test
    void aServerKeepsTheDiskItsLastStartRemembered() {
        SpawnRequest renamed = new SpawnRequest("ivy@example.com", "new-name", Map.of(), Map.of(), pdSpec(),
                Map.of(KubernetesSpawner.STATE_PVC, "claim-ivy-40example-2ecom--old-name"));
        KubernetesSpawner.Plan plan = spawner.plan(renamed);
        assertEquals("claim-ivy-40example-2ecom--old-name",
                plan.pod().getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        assertEquals("claim-ivy-40example-2ecom--old-name", plan.storage().claimToEnsure().getMetadata().getName());
        // Without a remembered claim, the template's.
        assertEquals(spawner.names("ivy@example.com", "new-name").pvcName(),
                spawner.plan(request("ivy@example.com", "new-name", pdSpec())).storage().claimToEnsure().getMetadata().getName());
    }

    /**
     * KubeSpawner 7's handle_legacy_names: a user whose disk KubeSpawner 6 made under the escape
     * scheme's name, and who has no claim of the current name, gets that disk back.
     */
    @Test
    void aClaimOfKubeSpawnersLegacyNameIsFoundAndReused() throws Exception {
        client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("claim-olga-40example-2ecom").withNamespace(NS).addToLabels("files", "hers")
                .endMetadata().build()).create();
        // Imported from a hub with KubeSpawner 6: its state has the pod's name, no version.
        CompletableFuture<SpawnResult> result = start(fromKubeSpawner6(request("olga@example.com", "", pdSpec())),
                new CopyOnWriteArrayList<>());
        String podName = spawner.names("olga@example.com", "").podName();
        Pod pod = awaitPod(podName);
        assertEquals("claim-olga-40example-2ecom", pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName(spawner.names("olga@example.com", "").pvcName()).get(),
                "no new claim of the current name");
        kubelet(podName, running("127.0.0.9"));
        SpawnResult r = result.get(10, TimeUnit.SECONDS);
        assertEquals("claim-olga-40example-2ecom", r.state().get(KubernetesSpawner.STATE_PVC), "remembered from now on");
        spawner.stop(new ServerHandle("olga@example.com", "", r.state())).await().atMost(Duration.ofSeconds(10));

        // A claim of the current name wins over a legacy one.
        client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("claim-pia-40example-2ecom").withNamespace(NS).endMetadata().build()).create();
        String current = spawner.names("pia@example.com", "").pvcName();
        client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(current).withNamespace(NS).endMetadata().build()).create();
        start(fromKubeSpawner6(request("pia@example.com", "", pdSpec())), new CopyOnWriteArrayList<>());
        Pod pia = awaitPod(spawner.names("pia@example.com", "").podName());
        assertEquals(current, pia.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());

        // A first start (no state), as in KubeSpawner 7: no legacy name is looked for, a new claim is made.
        client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("claim-quinn-40example-2ecom").withNamespace(NS).endMetadata().build()).create();
        start(request("quinn@example.com", "", pdSpec()), new CopyOnWriteArrayList<>());
        Pod quinn = awaitPod(spawner.names("quinn@example.com", "").podName());
        assertEquals(spawner.names("quinn@example.com", "").pvcName(),
                quinn.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
    }

    /** The request as a server whose state KubeSpawner 6 wrote (the pod's name, no kubespawner_version). */
    private static SpawnRequest fromKubeSpawner6(SpawnRequest r) {
        return new SpawnRequest(r.user(), r.serverName(), r.environment(), r.userOptions(), r.spec(),
                Map.of("pod_name", "jupyter-" + r.user().replace("@", "-40").replace(".", "-2e")));
    }

    @Test
    void deletedForeverTakesTheServersOwnClaimOnly() {
        String own = spawner.names("ivy@example.com", "exp").pvcName();
        for (String name : List.of(own, "home-shared")) {
            client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(name).endMetadata().build()).create();
        }
        spawner.deleteForever(new ServerHandle("ivy@example.com", "exp", Map.of()));
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName(own).get());
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("home-shared").get());
        // Nothing to delete is no failure (a server that never had a disk).
        spawner.deleteForever(new ServerHandle("ivy@example.com", "never-started", Map.of()));
        // A renamed server's disk is the one its last start remembered, not its new name's.
        client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("claim-ivy-old").endMetadata().build()).create();
        spawner.deleteForever(new ServerHandle("ivy@example.com", "renamed", Map.of(KubernetesSpawner.STATE_PVC, "claim-ivy-old")));
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("claim-ivy-old").get());
    }

    @Test
    void imagePullBackOffFailsAfterTheGraceWithAClearMessage() throws Exception {
        CompletableFuture<SpawnResult> result = start(request("dave", "", Map.of("image", "quay.io/jupyter/scipy-notebook:x")),
                new CopyOnWriteArrayList<>());
        awaitPod("jupyter-dave");
        kubelet("jupyter-dave", waiting("ErrImagePull", "manifest unknown"));
        Throwable t = failure(result);
        assertEquals("The image quay.io/jupyter/scipy-notebook:x cannot be pulled: manifest unknown. "
                + "Check the image name and tag.", t.getMessage());
        // The pod that would never run is removed.
        await(() -> client.pods().inNamespace(NS).withName("jupyter-dave").get() == null ? true : null, "pod removed");
    }

    @Test
    void unschedulableFailsAtTheStartTimeoutWithTheSchedulersReason() throws Exception {
        List<ProgressEvent> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<SpawnResult> result = start(request("erin", "gpu", Map.of("start_timeout", 2L,
                "extra_resource_limits", Map.of("nvidia.com/gpu", "1"))), progress);
        Pod pod = awaitPod("jupyter-erin--gpu");
        String why = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.";
        kubelet("jupyter-erin--gpu", new PodStatusBuilder().withPhase("Pending").withConditions(new PodConditionBuilder()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage(why).build()).build());
        event(pod, "FailedScheduling", "Warning", why);
        Throwable t = failure(result);
        assertEquals("Your server did not start within 2 seconds. No node could take it: " + why, t.getMessage());
        assertTrue(progress.stream().anyMatch(p -> p.message().equals("Waiting for a node with room for your server: " + why)));
    }

    @Test
    void aStalePodOfTheSameNameIsReplacedNotAdopted() throws Exception {
        ServerNames names = spawner.names("henry", "");
        ServerSpec spec = ServerSpec.from(Map.of(), ServerSpec.Defaults.of(configOf(), Duration.ofSeconds(60)));
        client.pods().inNamespace(NS).resource(PodBuilder.build(names, spec, Map.of(), StoragePlan.empty())).create();
        kubelet("jupyter-henry", running("127.0.0.11"));
        String staleUid = await(() -> spawner.runningServers().stream().anyMatch(h -> h.user().equals("henry")
                && h.state().containsKey("url")) ? client.pods().inNamespace(NS).withName("jupyter-henry").get()
                        .getMetadata().getUid() : null, "stale pod cached");

        CompletableFuture<SpawnResult> result = start(request("henry", "", Map.of()), new CopyOnWriteArrayList<>());
        Pod fresh = await(() -> {
            Pod p = client.pods().inNamespace(NS).withName("jupyter-henry").get();
            return p != null && !p.getMetadata().getUid().equals(staleUid) ? p : null;
        }, "a new pod");
        assertNull(fresh.getStatus() == null ? null : fresh.getStatus().getPodIP());
        assertFalse(result.isDone(), "the stale pod's address must not be taken");
        kubelet("jupyter-henry", running("127.0.0.12"));
        assertEquals("http://127.0.0.12:8888", result.get(10, TimeUnit.SECONDS).url());
    }

    @Inject
    KubernetesConfig kubernetesConfig;

    KubernetesConfig configOf() {
        return kubernetesConfig;
    }

    @Test
    void crashLoopFailsAtOnce() throws Exception {
        CompletableFuture<SpawnResult> result = start(request("frank", "", Map.of()), new CopyOnWriteArrayList<>());
        awaitPod("jupyter-frank");
        kubelet("jupyter-frank", new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.7")
                .withContainerStatuses(new ContainerStatusBuilder().withName("notebook").withReady(false)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated()
                        .endLastState().build()).build());
        assertEquals("Your server keeps crashing (exit code 1, Error). Check the image and its command.",
                failure(result).getMessage());
    }

    @Test
    void adoptsRunningPodsAfterARestartAndFindsOrphans() throws Exception {
        // A pod as an earlier hub process left it: labels, raw names in annotations, running.
        ServerNames names = spawner.names("Gina@example.com", "Lab");
        ServerSpec spec = ServerSpec.from(Map.of("app", "code-server", "profile", "code-server"),
                new ServerSpec.Defaults("img", "IfNotPresent", List.of(), null, 1000, 100, 100, Duration.ofSeconds(60)));
        Pod pod = PodBuilder.build(names, spec, Map.of(), StorageBuilder.build(names, spec));
        client.pods().inNamespace(NS).resource(pod).create();
        kubelet(names.podName(), running("127.0.0.8"));

        ServerHandle adopted = await(() -> spawner.runningServers().stream()
                .filter(h -> h.user().equals("Gina@example.com") && h.state().containsKey("url")).findFirst().orElse(null),
                "adoption of the running pod");
        assertEquals("Lab", adopted.serverName());
        assertEquals(Map.of("pod_name", names.podName(), "namespace", NS, "app", "code-server",
                "profile", "code-server", "url", "http://127.0.0.8:8080"), adopted.state());
        assertTrue(spawner.orphans(List.of()).contains(adopted));
        assertFalse(spawner.orphans(List.of(new ServerHandle("Gina@example.com", "Lab", Map.of()))).contains(adopted));
        assertTrue(spawner.poll(adopted).await().atMost(Duration.ofSeconds(5)).running());

        // The pod vanishes behind the hub's back: poll says stopped.
        client.pods().inNamespace(NS).withName(names.podName()).delete();
        await(() -> spawner.poll(adopted).await().atMost(Duration.ofSeconds(5)).running() ? null : true, "poll stopped");
    }

    @Inject
    Capacity capacity;

    /** Each example profile goes through the API server unchanged: the stored pod and claim are the built ones. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cpu-small", "cpu-large", "gpu-t4", "gpu-l4", "rstudio", "code-server"})
    void everyExampleProfileIsStoredAsBuilt(String slug) throws Exception {
        var resolved = PodBuilderTest.EXAMPLES.resolve(Map.of("profile", slug), java.util.Set.of(), true);
        SpawnRequest r = request("p-" + slug, "", resolved.spec());
        KubernetesSpawner.Plan plan = spawner.plan(r);
        CompletableFuture<SpawnResult> result = start(r, new CopyOnWriteArrayList<>());
        Pod stored = awaitPod("jupyter-p-" + slug);
        // As JSON, the way the API server received it (absent and empty lists are the same there).
        Pod sent = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                io.fabric8.kubernetes.client.utils.Serialization.asJson(plan.pod()), Pod.class);
        assertEquals(sent.getSpec(), stored.getSpec());
        assertEquals(plan.pod().getMetadata().getLabels(), stored.getMetadata().getLabels());
        assertEquals(plan.pod().getMetadata().getAnnotations(), stored.getMetadata().getAnnotations());
        var claim = client.persistentVolumeClaims().inNamespace(NS).withName("claim-p-" + slug).get();
        if (plan.storage().claimToEnsure() == null) {
            assertNull(claim, "no per-user claim for " + resolved.storage().kind());
        } else {
            assertEquals(plan.storage().claimToEnsure().getSpec(), claim.getSpec());
        }
        kubelet("jupyter-p-" + slug, running("127.0.0.10"));
        SpawnResult done = result.get(10, TimeUnit.SECONDS);
        assertEquals("http://127.0.0.10:" + resolved.app().port(), done.url());
        assertEquals(resolved.app().routeData(), done.routeData());
        spawner.stop(new ServerHandle("p-" + slug, "", done.state())).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void capacityFollowsNodesAndPodsThroughInformers() {
        client.nodes().resource(CapacityModelTest.node("gpu-node-1", "nvidia-l4", 2, true, false)).create();
        assertEquals(Map.of("nvidia-l4", 2), await(() -> capacity.freeGpus().isEmpty() ? null : capacity.freeGpus(), "nodes"));
        var profile = new io.ganymede.hub.profiles.ProfileCatalog(java.nio.file.Path.of("../profiles/profiles.yaml"),
                java.time.Clock.systemUTC()).resolve(Map.of("profile", "gpu-l4"), java.util.Set.of(), true);
        // gpu-l4 also needs the GKE metadata server label (GCSFuse): this node lacks it.
        assertFalse(capacity.fits(profile));
        client.nodes().withName("gpu-node-1").edit(n -> {
            n.getMetadata().getLabels().put("iam.gke.io/gke-metadata-server-enabled", "true");
            return n;
        });
        await(() -> capacity.fits(profile) ? true : null, "fits after the label");
        Pod user = CapacityModelTest.pod("gpu-node-1", "Running", "1", 2);
        user.getMetadata().setNamespace("other-team");
        client.pods().inNamespace("other-team").resource(user).create();
        await(() -> capacity.freeGpus().get("nvidia-l4") == 0 ? true : null, "GPUs taken by another namespace's pod");
        assertFalse(capacity.fits(profile));
    }

    static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the start succeeded");
    }

    static <T> T await(Supplier<T> value, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
