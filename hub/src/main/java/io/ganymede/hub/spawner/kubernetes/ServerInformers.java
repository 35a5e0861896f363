package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.jboss.logging.Logger;

/**
 * One shared list-and-watch cache of Ganymede's user pods, one of managed team apps' pods (kept
 * apart, so nothing that lists user servers sees them) and one of events, for every spawn
 * (KubeSpawner's reflectors): starts, polls and adoption read the cache instead of asking the API
 * server, and starting servers and apps are told of changes to their pod. Started on first use only, so a
 * hub without a cluster (spawner kind {@code local}) never connects.
 */
@ApplicationScoped
public class ServerInformers {

    private static final Logger LOG = Logger.getLogger(ServerInformers.class);

    /** Told about one pod: its changes and its events. Called on the informer's thread; must not block. */
    public interface PodListener {
        void onPod(Pod pod);

        void onDeleted();

        void onEvent(Event event);
    }

    @Inject
    KubernetesClient client;

    @Inject
    KubernetesConfig config;

    private final ConcurrentHashMap<String, Set<PodListener>> listeners = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<Pod>> stoppedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> started;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Pod> appPods;
    private SharedIndexInformer<Event> events;

    /** Starts the informers once; completes when their caches are filled. */
    public CompletionStage<Void> ensureStarted() {
        CompletableFuture<Void> s = started;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (started != null) {
                return started;
            }
            CompletableFuture<Void> f = start();
            started = f;
            // Without a reachable API server the first spawn fails; a later one tries again. A start
            // that fails at once resets the field right here: the caller still gets its failure.
            f.whenComplete((v, t) -> {
                if (t != null) {
                    LOG.warnf("pod watch failed to start: %s", t.getMessage());
                    reset(f);
                }
            });
            return f;
        }
    }

    private synchronized void reset(CompletableFuture<Void> failed) {
        if (started == failed) {
            stop();
            started = null;
        }
    }

    private CompletableFuture<Void> start() {
        var podOps = config.userNamespaces() ? client.pods().inAnyNamespace() : client.pods().inNamespace(config.namespace());
        pods = podOps.withLabels(PodBuilder.selectorLabels(config.adoptKubespawnerPods())).runnableInformer(0);
        pods.addEventHandler(handler(true));
        // Managed team apps' pods: their own cache, so adoption and the user-server pages never see them.
        appPods = client.pods().inNamespace(config.namespace()).withLabels(AppPodBuilder.selectorLabels()).runnableInformer(0);
        appPods.addEventHandler(handler(false));
        CompletableFuture<Void> podsSynced = CompletableFuture.allOf(pods.start().toCompletableFuture(),
                appPods.start().toCompletableFuture());
        if (!config.eventsEnabled()) {
            return podsSynced;
        }
        var eventOps = config.userNamespaces() ? client.v1().events().inAnyNamespace()
                : client.v1().events().inNamespace(config.namespace());
        events = eventOps.runnableInformer(0);
        events.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Event e) {
                route(e);
            }

            @Override
            public void onUpdate(Event old, Event e) {
                route(e);
            }

            @Override
            public void onDelete(Event e, boolean finalStateUnknown) {
                // Events expire; nothing to tell anyone.
            }
        });
        // Progress is a nicety: a slow or failing events watch must not hold up spawns.
        events.start().exceptionally(t -> {
            LOG.warnf("events watch failed to start: %s; spawn progress will be coarser", t.getMessage());
            return null;
        });
        return podsSynced;
    }

    /** Tells a pod's listeners of its changes; with {@code servers}, also those of stopped user servers. */
    private ResourceEventHandler<Pod> handler(boolean servers) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                each(key(pod), l -> l.onPod(pod));
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                each(key(pod), l -> l.onPod(pod));
                if (servers && PodState.ended(pod) && !PodState.ended(old)) {
                    stopped(pod);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                each(key(pod), PodListener::onDeleted);
                if (servers) {
                    stopped(pod);
                }
            }
        };
    }

    private void stopped(Pod pod) {
        for (var l : stoppedListeners) {
            try {
                l.accept(pod);
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "listener of stopped pods failed for %s", key(pod));
            }
        }
    }

    /**
     * Tells {@code listener} of every user pod that stops running on its own or not: deleted,
     * being deleted, failed or completed (an eviction, a drained node). Called on the informer's
     * thread; must not block.
     */
    public void onStopped(java.util.function.Consumer<Pod> listener) {
        stoppedListeners.add(listener);
    }

    private void route(Event e) {
        var o = e.getInvolvedObject();
        if (o != null && "Pod".equals(o.getKind())) {
            each(o.getNamespace() + "/" + o.getName(), l -> l.onEvent(e));
        }
    }

    private void each(String key, java.util.function.Consumer<PodListener> action) {
        Set<PodListener> ls = listeners.get(key);
        if (ls != null) {
            for (PodListener l : ls) {
                try {
                    action.accept(l);
                } catch (RuntimeException ex) {
                    LOG.errorf(ex, "pod listener for %s failed", key);
                }
            }
        }
    }

    /** Registers a listener for one pod; close the result to unregister. */
    public AutoCloseable listen(String namespace, String name, PodListener listener) {
        String key = namespace + "/" + name;
        listeners.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> listeners.computeIfPresent(key, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** The cached pod (a user server's or a managed app's), if the informers know it. Call after {@link #ensureStarted()} completed. */
    public Optional<Pod> pod(String namespace, String name) {
        String key = namespace + "/" + name;
        Pod pod = pods == null ? null : pods.getStore().getByKey(key);
        if (pod == null && appPods != null) {
            pod = appPods.getStore().getByKey(key);
        }
        return Optional.ofNullable(pod);
    }

    /** All cached user pods. */
    public List<Pod> pods() {
        return pods == null ? List.of() : pods.getStore().list();
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    @PreDestroy
    void stop() {
        if (pods != null) {
            pods.stop();
            pods = null;
        }
        if (appPods != null) {
            appPods.stop();
            appPods = null;
        }
        if (events != null) {
            events.stop();
            events = null;
        }
    }
}
