package io.ganymede.hub.spawner.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ganymede.hub.leader.LeaseElection;
import java.time.Duration;
import java.util.Map;

/**
 * The mock API server with a Lease already held by another hub replica ("hub-other", renewing
 * it from this JVM), and a hub under test that uses the kubernetes spawner and elects by Lease
 * with short timings.
 */
public class FailoverResource extends KubernetesMockResource {

    /**
     * The other replica's timings: its Lease says how long others must wait after its last
     * renewal. Long enough that a starved test JVM on a busy machine does not lose the Lease
     * before the test kills it; the hub under test takes over within this lease duration.
     */
    static final LeaseElection.Timings OTHER = new LeaseElection.Timings(
            Duration.ofSeconds(6), Duration.ofSeconds(5), Duration.ofMillis(200));

    static volatile LeaseElection other;
    private KubernetesClient client;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        client = server.createClient();
        other = new LeaseElection(client, "ganymede", "ganymede-hub", "hub-other", OTHER, leading -> {});
        other.start();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!other.isLeader() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        config.put("ganymede.spawner.kind", "kubernetes");
        config.put("ganymede.kubernetes.capacity-enabled", "false");
        config.put("ganymede.leader.kind", "lease");
        config.put("ganymede.leader.identity", "hub-under-test");
        config.put("ganymede.leader.lease-duration", "3s");
        config.put("ganymede.leader.renew-deadline", "2500ms");
        config.put("ganymede.leader.retry-period", "200ms");
        config.put("ganymede.spawner.poll-interval", "1s");
        return config;
    }

    @Override
    public void stop() {
        if (other != null) {
            other.close();
        }
        if (client != null) {
            client.close();
        }
        super.stop();
    }
}
