package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ganymede.hub.profiles.StorageKind;
import io.ganymede.hub.profiles.StorageSpec;
import io.ganymede.hub.spawn.SpawnConfig;
import io.ganymede.hub.spawner.Volume;
import io.ganymede.hub.spawner.VolumeStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Users' claims on the API server: listed by KubeSpawner's {@code component=singleuser-storage}
 * label (so claims KubeSpawner made are seen too), grown by patching the request (the CSI
 * resizer and the kubelet do the rest), deleted on request.
 */
@ApplicationScoped
public class KubernetesVolumes implements VolumeStore {

    static final String FILE_SYSTEM_RESIZE_PENDING = "FileSystemResizePending";
    private static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final ServerInformers informers;
    private final SpawnConfig spawnConfig;

    KubernetesVolumes(KubernetesClient client, KubernetesConfig config, ServerInformers informers, SpawnConfig spawnConfig) {
        this.client = client;
        this.config = config;
        this.informers = informers;
        this.spawnConfig = spawnConfig;
    }

    @Override
    public List<Volume> list() {
        var claims = config.userNamespaces() ? client.persistentVolumeClaims().inAnyNamespace()
                : client.persistentVolumeClaims().inNamespace(config.namespace());
        List<PersistentVolumeClaim> found = claims.withLabel("component", StorageBuilder.COMPONENT_STORAGE).list().getItems();
        Map<String, Boolean> expandable = expandableClasses();
        Set<String> mounted = mountedClaims();
        return found.stream().map(c -> volume(c, expandable, mounted)).toList();
    }

    @Override
    public Volume grow(Volume volume, long bytes) {
        var claim = client.persistentVolumeClaims().inNamespace(volume.namespace()).withName(volume.name());
        claim.edit(c -> {
            c.getSpec().getResources().getRequests().put("storage", new Quantity(Long.toString(bytes)));
            return c;
        });
        // The resizer answers within seconds: report what it did, or the request as it stands.
        long until = System.nanoTime() + config.resizeWait().toNanos();
        Volume now = refreshed(volume);
        while (!settled(now, bytes) && System.nanoTime() < until) {
            sleep(200);
            now = refreshed(volume);
        }
        return now;
    }

    private static boolean settled(Volume v, long bytes) {
        return v.fileSystemResizePending() || v.capacityBytes() != null && v.capacityBytes() >= bytes;
    }

    private Volume refreshed(Volume volume) {
        PersistentVolumeClaim c = client.persistentVolumeClaims().inNamespace(volume.namespace()).withName(volume.name()).get();
        return c == null ? volume : volume(c, expandableClasses(), mountedClaims());
    }

    @Override
    public void delete(Volume volume) {
        try {
            client.persistentVolumeClaims().inNamespace(volume.namespace()).withName(volume.name()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }

    @Override
    public Optional<Volume> planned(String user, String server, Map<String, Object> spec, Map<String, String> state) {
        ServerNames names = ServerNames.of(config, user, server)
                .withRememberedClaim(state == null ? null : state.get(KubernetesSpawner.STATE_PVC));
        ServerSpec s = ServerSpec.from(spec, ServerSpec.Defaults.of(config, spawnConfig.startTimeout()));
        PersistentVolumeClaim claim = StorageBuilder.build(names, s).claimToEnsure();
        if (claim == null || client.persistentVolumeClaims().inNamespace(names.namespace()).withName(names.pvcName()).get() != null) {
            return Optional.empty();
        }
        return Optional.of(volume(claim, Map.of(), Set.of()));
    }

    @Override
    public Optional<SharedMount> sharedMount(String user, String server, Map<String, Object> spec) {
        ServerNames names = ServerNames.of(config, user, server);
        StorageSpec s = ServerSpec.from(spec, ServerSpec.Defaults.of(config, spawnConfig.startTimeout())).storage();
        return switch (s.kind()) {
            case FILESTORE -> s.shared()
                    ? Optional.of(new SharedMount(s.kind().id(), s.claimName(), names.expand(s.subPath())))
                    : Optional.empty();
            case GCSFUSE -> Optional.of(new SharedMount(s.kind().id(), names.expand(s.bucket()), null));
            default -> Optional.empty();
        };
    }

    /** Storage classes by name, with whether they allow expansion; the default class under "". */
    private Map<String, Boolean> expandableClasses() {
        Map<String, Boolean> out = new HashMap<>();
        for (StorageClass sc : client.storage().v1().storageClasses().list().getItems()) {
            boolean expandable = Boolean.TRUE.equals(sc.getAllowVolumeExpansion());
            out.put(sc.getMetadata().getName(), expandable);
            var a = sc.getMetadata().getAnnotations();
            if (a != null && "true".equals(a.get(DEFAULT_CLASS_ANNOTATION))) {
                out.put("", expandable);
            }
        }
        return out;
    }

    /** {@code namespace/claim} of every claim a live server pod mounts. */
    private Set<String> mountedClaims() {
        informers.ensureStarted().toCompletableFuture().join();
        Set<String> out = new HashSet<>();
        for (Pod pod : informers.pods()) {
            if (PodState.of(pod) instanceof PodState.Gone || pod.getSpec().getVolumes() == null) {
                continue;
            }
            pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                    .forEach(v -> out.add(pod.getMetadata().getNamespace() + "/" + v.getPersistentVolumeClaim().getClaimName()));
        }
        return out;
    }

    static Volume volume(PersistentVolumeClaim c, Map<String, Boolean> expandable, Set<String> mounted) {
        var meta = c.getMetadata();
        Map<String, String> a = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        String user = a.getOrDefault(PodBuilder.LABEL_USERNAME, labels.get(PodBuilder.LABEL_USERNAME));
        String server = a.getOrDefault(PodBuilder.LABEL_SERVERNAME, "");
        var spec = c.getSpec();
        String kind = a.get(StorageBuilder.ANNOTATION_KIND);
        if (kind == null) {
            kind = spec.getAccessModes() != null && spec.getAccessModes().contains("ReadWriteMany")
                    ? StorageKind.FILESTORE.id() : StorageKind.PD.id();
        }
        Quantity requested = spec.getResources() == null || spec.getResources().getRequests() == null ? null
                : spec.getResources().getRequests().get("storage");
        var status = c.getStatus();
        Quantity capacity = status == null || status.getCapacity() == null ? null : status.getCapacity().get("storage");
        List<PersistentVolumeClaimCondition> conditions = status == null || status.getConditions() == null ? List.of()
                : status.getConditions();
        boolean resizePending = conditions.stream().anyMatch(k -> FILE_SYSTEM_RESIZE_PENDING.equals(k.getType())
                && "True".equals(k.getStatus()));
        String storageClass = spec.getStorageClassName();
        Instant created = meta.getCreationTimestamp() == null ? null : Instant.parse(meta.getCreationTimestamp());
        return new Volume(meta.getName(), meta.getNamespace(), user, server, a.get(PodBuilder.ANNOTATION_PROFILE), kind,
                storageClass, requested == null ? 0 : bytes(requested), capacity == null ? null : bytes(capacity),
                status == null || status.getPhase() == null ? "Pending" : status.getPhase(), created,
                mounted.contains(meta.getNamespace() + "/" + meta.getName()),
                expandable.getOrDefault(storageClass == null ? "" : storageClass, false), resizePending);
    }

    private static long bytes(Quantity q) {
        return Quantity.getAmountInBytes(q).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
