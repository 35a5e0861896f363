package io.ganymede.hub.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease, the way client-go's leaderelection
 * does it. Every retry period each candidate reads the Lease: the holder renews it, the others
 * take it over once it is released or has not changed for a whole lease duration. Expiry is
 * measured on the candidate's own monotonic clock from when it last saw the Lease change, so
 * clock skew between nodes cannot elect two leaders; every write carries the resourceVersion
 * read, so two candidates racing for a free Lease cannot both win. A holder that cannot renew
 * for the renew deadline (shorter than the lease duration) steps down before anyone else may
 * take over.
 */
public final class LeaseElection implements Leadership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseElection.class);

    /** Lease timings: {@code renewDeadline < leaseDuration}, {@code retryPeriod < renewDeadline}. */
    public record Timings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        public Timings {
            if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
                throw new IllegalArgumentException("leader election needs retry-period < renew-deadline < lease-duration, got "
                        + retryPeriod + ", " + renewDeadline + ", " + leaseDuration);
            }
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Timings timings;
    private final Consumer<Boolean> onChange;
    private final ScheduledExecutorService loop;

    private volatile boolean leader;
    private volatile String holder;
    /** Replicas seen holding the Lease and then losing it (expired or released), not holding it since. */
    private final Set<String> left = ConcurrentHashMap.newKeySet();
    /** Last successful renewal (System.nanoTime), while leading. */
    private volatile long renewedAt;
    /** The Lease as last seen (resourceVersion) and when it was first seen so (System.nanoTime). */
    private String observedVersion;
    private long observedAt;

    /**
     * @param onChange told {@code true} on becoming leader and {@code false} on losing it, on the
     *     election's own thread; it must not block for long
     */
    public LeaseElection(KubernetesClient client, String namespace, String name, String identity, Timings timings,
            Consumer<Boolean> onChange) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.timings = timings;
        this.onChange = onChange;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leader-election");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        LOG.infof("leader election on Lease %s/%s as %s", namespace, name, identity);
        loop.scheduleWithFixedDelay(this::tick, 0, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Leading and renewed within the renew deadline. Checked here as well as in the loop, so a call
     * to the API server that hangs cannot keep a replica leading after its Lease may have moved.
     */
    @Override
    public boolean isLeader() {
        return leader && System.nanoTime() - renewedAt <= timings.renewDeadline().toNanos();
    }

    public String identity() {
        return identity;
    }

    /** The holder last seen on the Lease (null: none or not yet read). */
    public String holder() {
        return holder;
    }

    /**
     * Whether this replica saw {@code identity} hold the Lease and then lose it, without taking it
     * back since: it died, shut down, or cannot reach the API server (and stepped down); in all
     * cases it runs nothing that needs the cluster any more.
     */
    public boolean hasLeft(String identity) {
        return left.contains(identity);
    }

    /** Stops campaigning and, when leading, releases the Lease so another replica takes over at once. */
    @Override
    public void close() {
        halt();
        if (!leader) {
            return;
        }
        try {
            Lease lease = leases().withName(name).get();
            if (lease != null && lease.getSpec() != null && identity.equals(lease.getSpec().getHolderIdentity())) {
                ZonedDateTime now = now();
                lease.getSpec().setHolderIdentity(null);
                lease.getSpec().setLeaseDurationSeconds(1);
                lease.getSpec().setRenewTime(now);
                leases().resource(lease).update();
                LOG.infof("released Lease %s/%s", namespace, name);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("could not release Lease %s/%s (the others take over when it expires): %s", namespace, name, e.getMessage());
        } finally {
            changeTo(false);
        }
    }

    /** Stops campaigning without releasing, as a replica that dies does: the Lease runs out. */
    public void halt() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(timings.retryPeriod().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        try {
            step();
        } catch (KubernetesClientException e) {
            // 409: another candidate wrote first; anything else: the API server is unreachable.
            LOG.debugf("leader election step on %s/%s: %s", namespace, name, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "leader election step on %s/%s failed", namespace, name);
        }
        if (leader && System.nanoTime() - renewedAt > timings.renewDeadline().toNanos()) {
            LOG.warnf("could not renew Lease %s/%s for %s: stepping down", namespace, name, timings.renewDeadline());
            changeTo(false);
        }
    }

    private void step() {
        Lease lease = leases().withName(name).get();
        long nowNanos = System.nanoTime();
        if (lease == null) {
            leases().resource(new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withSpec(spec(now(), now(), 0)).build()).create();
            won(nowNanos);
            return;
        }
        if (!Objects.equals(lease.getMetadata().getResourceVersion(), observedVersion)) {
            observedVersion = lease.getMetadata().getResourceVersion();
            observedAt = nowNanos;
        }
        LeaseSpec current = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
        observe(blankToNull(current.getHolderIdentity()));
        int transitions = current.getLeaseTransitions() == null ? 0 : current.getLeaseTransitions();
        if (identity.equals(holder)) {
            ZonedDateTime acquired = current.getAcquireTime() == null ? now() : current.getAcquireTime();
            lease.setSpec(spec(acquired, now(), transitions));
            leases().resource(lease).update();
            won(nowNanos);
            return;
        }
        long held = current.getLeaseDurationSeconds() == null ? timings.leaseDuration().toNanos()
                : Duration.ofSeconds(current.getLeaseDurationSeconds()).toNanos();
        boolean free = holder == null || nowNanos - observedAt > held;
        if (leader) {
            LOG.warnf("Lease %s/%s is held by %s now", namespace, name, holder);
            changeTo(false);
        }
        if (free) {
            lease.setSpec(spec(now(), now(), transitions + 1));
            leases().resource(lease).update();
            won(nowNanos);
        }
    }

    private void won(long nowNanos) {
        renewedAt = nowNanos;
        // Before duties learn of the election: the replica replaced counts as gone for them.
        observe(identity);
        if (!leader) {
            LOG.infof("%s now leads (Lease %s/%s)", identity, namespace, name);
            changeTo(true);
        }
    }

    private void observe(String seen) {
        if (holder != null && !holder.equals(seen)) {
            left.add(holder);
        }
        if (seen != null) {
            left.remove(seen);
        }
        holder = seen;
    }

    private void changeTo(boolean leading) {
        if (leader == leading) {
            return;
        }
        leader = leading;
        try {
            onChange.accept(leading);
        } catch (RuntimeException e) {
            LOG.warnf(e, "leadership listener failed");
        }
    }

    private LeaseSpec spec(ZonedDateTime acquired, ZonedDateTime renewed, int transitions) {
        LeaseSpec spec = new LeaseSpec();
        spec.setHolderIdentity(identity);
        spec.setLeaseDurationSeconds((int) Math.max(1, timings.leaseDuration().toSeconds()));
        spec.setAcquireTime(acquired);
        spec.setRenewTime(renewed);
        spec.setLeaseTransitions(transitions);
        return spec;
    }

    private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
        return client.leases().inNamespace(namespace);
    }

    private static ZonedDateTime now() {
        // MicroTime: the API server keeps microseconds.
        return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
