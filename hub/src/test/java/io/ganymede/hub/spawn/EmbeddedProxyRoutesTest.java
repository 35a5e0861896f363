package io.ganymede.hub.spawn;

import static io.ganymede.hub.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.leader.HubLeadership;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.proxy.ProxyClient;
import io.ganymede.hub.spawner.kubernetes.FailoverResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hub whose proxy is embedded, started while another process still holds the Lease (a lone hub
 * restarted after a crash: the killed process's Lease has not run out): the proxy started empty
 * with it, and it gets the routes of the running servers at once, not only once this hub leads.
 */
@QuarkusTest
@QuarkusTestResource(value = FailoverResource.class, restrictToAnnotatedClass = true)
class EmbeddedProxyRoutesTest {

    private static final String USER = "embedded-route-rosa@example.com";
    private static final String ROUTE = "/user/" + USER;

    @Inject
    ServerAdoption adoption;

    @Inject
    HubLeadership leadership;

    @Inject
    ProxyClient proxy;

    @Test
    void aHubThatDoesNotLeadFillsItsOwnEmbeddedProxyWhenItStarts() {
        awaitHolder("hub-other");
        assertFalse(leadership.isLeader());
        admin().post("/hub/api/users/" + USER).then().statusCode(201);
        // A server the killed process started, recorded running; its route went with the process.
        QuarkusTransaction.requiringNew().run(() -> {
            UserEntity user = UserEntity.findByName(USER).orElseThrow();
            ServerEntity server = new ServerEntity();
            server.user = user;
            server.name = "";
            server.url = "http://127.0.0.21:8888";
            server.started = Instant.now();
            server.spawnerState = "{\"pod_name\": \"jupyter-embedded-route-rosa-40example-2ecom\", \"namespace\": \"ganymede\"}";
            server.persist();
        });
        assertFalse(routes().containsKey(ROUTE), routes().toString());
        try {
            // As when the hub's HTTP server starts.
            adoption.started(null);

            Map<String, Object> routes = routes();
            assertTrue(routes.containsKey(ROUTE), "no route for the running server: " + routes.keySet());
            assertEquals("http://127.0.0.21:8888", ((Map<?, ?>) routes.get(ROUTE)).get("target"));
            // Filled by the start, not by a takeover.
            assertFalse(leadership.isLeader());
        } finally {
            QuarkusTransaction.requiringNew().run(() -> ServerEntity.delete("user.name", USER));
            proxy.deleteRoute(ROUTE + "/").await().atMost(Duration.ofSeconds(5));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> routes() {
        return admin().get("/hub/api/proxy").then().statusCode(200).extract().as(Map.class);
    }

    private void awaitHolder(String holder) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!holder.equals(leadership.holder())) {
            assertTrue(System.nanoTime() < until, "the hub never saw " + holder + " holding the Lease");
            Thread.onSpinWait();
        }
    }
}
