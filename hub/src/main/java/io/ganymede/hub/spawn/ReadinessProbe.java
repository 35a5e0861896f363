package io.ganymede.hub.spawn;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.ganymede.hub.spawner.PollResult;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits until a started server answers HTTP below 500, as JupyterHub's {@code wait_up}: a server
 * whose process runs may still take seconds to listen.
 */
@ApplicationScoped
public class ReadinessProbe {

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newBuilder()
            // HTTP/1.1 as JupyterHub asks: the JDK's default offers an h2c upgrade, which servers
            // that take upgrades for their WebSockets (code-server) answer by closing the connection.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ATTEMPT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * @param alive asked before every attempt, so a server that exits while starting fails the
     *     start at once with its exit status instead of after the whole timeout
     */
    public Uni<Void> awaitUp(String url, Duration timeout, Supplier<Uni<PollResult>> alive) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(ATTEMPT_TIMEOUT).GET().build();
        return Uni.createFrom().deferred(alive::get)
                .invoke(poll -> {
                    if (!poll.running()) {
                        throw new SpawnFailure("Server stopped while starting: " + poll.reason());
                    }
                })
                .chain(() -> Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding())))
                .map(response -> {
                    if (response.statusCode() >= 500) {
                        throw new IllegalStateException("answered " + response.statusCode());
                    }
                    return response;
                })
                .onFailure(e -> !(e instanceof SpawnFailure)).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).expireIn(timeout.toMillis())
                .onFailure(e -> !(e instanceof SpawnFailure)).transform(e -> new SpawnFailure(
                        "Server at " + url + " didn't respond in " + timeout.toSeconds() + " seconds"))
                .replaceWithVoid();
    }
}
