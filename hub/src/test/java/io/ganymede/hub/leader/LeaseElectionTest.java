package io.ganymede.hub.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two candidates on one Lease of fabric8's CRUD mock API server, with short timings: exactly one
 * leads, a dead leader (it stops renewing, releases nothing) is replaced once the Lease runs out,
 * and a released Lease moves at once.
 */
class LeaseElectionTest {

    static final String NS = "ganymede";
    static final LeaseElection.Timings FAST = new LeaseElection.Timings(
            Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(100));

    KubernetesMockServer server;
    final List<KubernetesClient> clients = new ArrayList<>();
    final List<LeaseElection> elections = new ArrayList<>();

    /** Held, so the level sticks: the mock logs every request at INFO. */
    static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    @BeforeEach
    void startServer() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stopServer() {
        elections.forEach(LeaseElection::halt);
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }

    LeaseElection candidate(String identity, List<Boolean> changes) {
        KubernetesClient client = server.createClient();
        clients.add(client);
        LeaseElection e = new LeaseElection(client, NS, "ganymede-hub", identity, FAST, changes::add);
        elections.add(e);
        return e;
    }

    Lease lease() {
        return clients.get(0).leases().inNamespace(NS).withName("ganymede-hub").get();
    }

    @Test
    void exactlyOneLeadsAndADeadLeaderIsReplacedWithinTheLeaseDuration() throws Exception {
        List<Boolean> aChanges = new CopyOnWriteArrayList<>();
        List<Boolean> bChanges = new CopyOnWriteArrayList<>();
        LeaseElection a = candidate("hub-a_1", aChanges);
        LeaseElection b = candidate("hub-b_2", bChanges);
        a.start();
        b.start();
        await(() -> a.isLeader() || b.isLeader(), Duration.ofSeconds(5), "someone leads");
        // For several renewals, never both.
        long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < until) {
            assertFalse(a.isLeader() && b.isLeader(), "two leaders");
            Thread.sleep(20);
        }
        assertTrue(a.isLeader() ^ b.isLeader(), "exactly one leader");
        LeaseElection leader = a.isLeader() ? a : b;
        LeaseElection other = leader == a ? b : a;
        assertEquals(leader.identity(), lease().getSpec().getHolderIdentity());
        assertEquals(leader.identity(), other.holder());
        assertEquals(List.of(true), leader == a ? aChanges : bChanges);
        assertEquals(List.of(), leader == a ? bChanges : aChanges);
        assertFalse(other.hasLeft(leader.identity()), "a leader renewing has not left");

        // The leader's process dies: no more renewals, nothing released.
        long killed = System.nanoTime();
        leader.halt();
        assertEquals(leader.identity(), lease().getSpec().getHolderIdentity(), "a dead leader releases nothing");
        await(other::isLeader, Duration.ofSeconds(5), "the other replica takes over");
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(took.compareTo(Duration.ofMillis(2500)) > 0, "waited for the lease to run out, took " + took);
        assertTrue(took.compareTo(FAST.leaseDuration().plusMillis(1500)) < 0, "took over within the lease duration, took " + took);
        Lease after = lease();
        assertEquals(other.identity(), after.getSpec().getHolderIdentity());
        assertEquals(1, after.getSpec().getLeaseTransitions());
        // The new leader knows the old one is gone: the starts it recorded can be settled at once.
        assertTrue(other.hasLeft(leader.identity()));
        assertFalse(other.hasLeft(other.identity()));
    }

    @Test
    void aReleasedLeaseMovesAtOnce() throws Exception {
        List<Boolean> aChanges = new CopyOnWriteArrayList<>();
        LeaseElection a = candidate("hub-a_1", aChanges);
        a.start();
        await(a::isLeader, Duration.ofSeconds(5), "a leads");
        LeaseElection b = candidate("hub-b_2", new CopyOnWriteArrayList<>());
        b.start();
        await(() -> a.identity().equals(b.holder()), Duration.ofSeconds(5), "b sees a lead");
        assertFalse(b.isLeader());

        long released = System.nanoTime();
        a.close();
        assertFalse(a.isLeader());
        assertEquals(List.of(true, false), aChanges);
        await(b::isLeader, Duration.ofSeconds(5), "b takes over");
        Duration took = Duration.ofNanos(System.nanoTime() - released);
        assertTrue(took.compareTo(Duration.ofMillis(1500)) < 0, "a released lease moves at once, took " + took);
        assertTrue(b.hasLeft(a.identity()), "a replica that released the Lease is gone");
    }

    @Test
    void aLeaderThatCannotRenewStepsDownBeforeTheLeaseRunsOut() throws Exception {
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        LeaseElection a = candidate("hub-a_1", changes);
        a.start();
        await(a::isLeader, Duration.ofSeconds(5), "a leads");
        // Someone else writes the Lease (as a replica would after a partition): a notices and steps down.
        Lease lease = lease();
        lease.getSpec().setHolderIdentity("hub-c_3");
        clients.get(0).leases().inNamespace(NS).resource(lease).update();
        await(() -> !a.isLeader(), Duration.ofSeconds(5), "a steps down");
        assertEquals(List.of(true, false), changes);
        // The API server goes away: the leader stops leading within the renew deadline.
        a.halt();
        LeaseElection b = candidate("hub-b_2", new CopyOnWriteArrayList<>());
        clients.get(0).leases().inNamespace(NS).withName("ganymede-hub").delete();
        b.start();
        await(b::isLeader, Duration.ofSeconds(5), "b leads");
        long gone = System.nanoTime();
        server.destroy();
        await(() -> !b.isLeader(), Duration.ofSeconds(5), "b steps down");
        Duration took = Duration.ofNanos(System.nanoTime() - gone);
        assertTrue(took.compareTo(FAST.leaseDuration()) < 0, "stepped down before the lease ran out, took " + took);
    }

    @Test
    void writesAreConditionalOnTheVersionRead() {
        KubernetesClient client = server.createClient();
        clients.add(client);
        LeaseElection a = candidate("hub-a_1", new CopyOnWriteArrayList<>());
        a.start();
        await(a::isLeader, Duration.ofSeconds(5), "a leads");
        a.halt();
        Lease read = lease();
        Lease stale = lease();
        read.getSpec().setHolderIdentity("hub-b_2");
        client.leases().inNamespace(NS).resource(read).update();
        stale.getSpec().setHolderIdentity("hub-c_3");
        KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
                () -> client.leases().inNamespace(NS).resource(stale).update());
        assertEquals(409, conflict.getCode());
        assertNotNull(lease());
        assertEquals("hub-b_2", lease().getSpec().getHolderIdentity());
    }

    @Test
    void timingsMustLeaveRoomToRenew() {
        assertThrows(IllegalArgumentException.class, () -> new LeaseElection.Timings(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)));
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
