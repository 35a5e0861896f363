package io.ganymede.hub.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The hub's {@link Leadership}: a Kubernetes Lease when several replicas may run
 * ({@code ganymede.leader.kind=lease}, or {@code auto} with the kubernetes spawner), otherwise
 * the single process leads. Started with the application; the Lease is released at shutdown so a
 * rolling update hands over at once. The state is exported as the gauge {@code ganymede_hub_leader}.
 */
@ApplicationScoped
@Startup
public class HubLeadership implements Leadership {

    private static final Logger LOG = Logger.getLogger(HubLeadership.class);

    private final Leadership delegate;
    private final LeaseElection election;
    private final String identity;
    private final MeterRegistry registry;
    private final Gauge gauge;

    HubLeadership(LeaderConfig config, @ConfigProperty(name = "ganymede.spawner.kind") String spawnerKind,
            @ConfigProperty(name = "ganymede.kubernetes.namespace") String spawnerNamespace,
            Instance<KubernetesClient> client, Event<Elected> elected, MeterRegistry registry) {
        boolean lease = config.kind() == LeaderConfig.Kind.LEASE
                || (config.kind() == LeaderConfig.Kind.AUTO && "kubernetes".equals(spawnerKind));
        identity = config.identity().orElseGet(HubLeadership::defaultIdentity);
        if (lease) {
            election = new LeaseElection(client.get(), config.namespace().orElse(spawnerNamespace), config.leaseName(),
                    identity, new LeaseElection.Timings(config.leaseDuration(), config.renewDeadline(), config.retryPeriod()),
                    leading -> {
                        if (leading) {
                            elected.fireAsync(new Elected(identity))
                                    .exceptionally(e -> {
                                        LOG.warnf(e, "a duty failed to take over after the election");
                                        return null;
                                    });
                        }
                    });
            delegate = election;
            election.start();
        } else {
            election = null;
            delegate = new SoleReplica();
        }
        this.registry = registry;
        gauge = Gauge.builder("ganymede.hub.leader", () -> isLeader() ? 1 : 0)
                .description("1 on the hub replica that runs singleton duties (culler, reconciliation, route repair)")
                .register(registry);
    }

    @Override
    public boolean isLeader() {
        return delegate.isLeader();
    }

    /** Whether other replicas may run beside this one (a Lease elects the leader). */
    public boolean elected() {
        return election != null;
    }

    /** This replica's name: on the Lease, and in the starts it records; unique to this process. */
    public String identity() {
        return identity;
    }

    /**
     * Whether {@code replica}, named in a start's record, can no longer be running that start.
     * A lone hub is the only process: any other name is an earlier run of it (no name: a start
     * recorded before records named their replica). With a Lease, a replica this one saw lose
     * it ({@link LeaseElection#hasLeft}); of the other replicas nothing is known.
     */
    public boolean gone(String replica) {
        if (identity.equals(replica)) {
            return false;
        }
        return election == null || (replica != null && election.hasLeft(replica));
    }

    /** The replica last seen holding the Lease, or null (none, or no election). */
    public String holder() {
        return election == null ? null : election.holder();
    }

    @PreDestroy
    void release() {
        // Micrometer keeps the first gauge of a name: a hub restarted in the same JVM (tests) must
        // find none left by this instance.
        registry.remove(gauge);
        if (election != null) {
            election.close();
        }
    }

    /** The pod name (the hostname in Kubernetes) and a random part, unique across restarts. */
    static String defaultIdentity() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "hub";
            }
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return host + "_" + HexFormat.of().formatHex(random);
    }
}
