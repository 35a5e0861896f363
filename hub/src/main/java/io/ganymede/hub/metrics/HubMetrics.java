package io.ganymede.hub.metrics;

import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The hub's Prometheus metrics under JupyterHub's names, so dashboards made for JupyterHub
 * (and the one in {@code k8s/observability/}) work unchanged.
 *
 * <p>Created at start-up, not at first use: the gauges are registered by the constructor, and a
 * lazy bean would leave {@code /q/metrics} without any {@code jupyterhub_*} series after every
 * restart until the first server starts or stops, which dashboards and alerts read as no data.
 */
@Startup
@ApplicationScoped
public class HubMetrics {

    /** Counts come from the database; a scrape every few seconds must not mean a query each time. */
    private static final Duration COUNT_CACHE = Duration.ofSeconds(15);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, CachedCount> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> idle = new ConcurrentHashMap<>();

    HubMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        gauge("jupyterhub.total.users", "Total users", () -> UserEntity.count());
        gauge("jupyterhub.running.servers", "Servers running", () -> ServerEntity.count("url is not null"));
        for (var period : Map.of("24h", Duration.ofDays(1), "7d", Duration.ofDays(7), "30d", Duration.ofDays(30)).entrySet()) {
            Gauge.builder("jupyterhub.active.users", () -> cached("active-" + period.getKey(),
                            () -> UserEntity.count("lastActivity >= ?1", clock.instant().minus(period.getValue()))))
                    .description("Users active within the period").tag("period", period.getKey()).register(registry);
        }
    }

    private void gauge(String name, String description, Supplier<Long> query) {
        Gauge.builder(name, () -> cached(name, query)).description(description).register(registry);
    }

    private double cached(String key, Supplier<Long> query) {
        CachedCount entry = counts.get(key);
        long now = clock.millis();
        if (entry == null || now - entry.at() > COUNT_CACHE.toMillis()) {
            entry = new CachedCount(QuarkusTransaction.requiringNew().call(query::get), now);
            counts.put(key, entry);
        }
        return entry.value();
    }

    private record CachedCount(long value, long at) {}

    /** How long a start took, by outcome ({@code success}, {@code failure}). */
    public void spawn(Duration took, String status) {
        histogram("jupyterhub.server.spawn.duration", "Time to start a server", status).record(took);
    }

    public void stop(Duration took, String status) {
        histogram("jupyterhub.server.stop", "Time to stop a server", status).record(took);
    }

    public void proxyAdd(Duration took, String status) {
        histogram("jupyterhub.proxy.add.duration", "Time to add a route to the proxy", status).record(took);
    }

    /** A server the culler stopped, by reason ({@code idle}, {@code max_age}). */
    public void culled(String reason) {
        Counter.builder("ganymede.culler.culled").description("Servers stopped by the culler").tag("reason", reason)
                .register(registry).increment();
    }

    /**
     * GPU-seconds of a session that ended, once for each group it is charged to ({@code ""} for a
     * user in none): a member of two groups counts in both, as in the usage report by group.
     */
    public void usageGpuSeconds(String group, String profile, String gpu, double seconds) {
        Counter.builder("ganymede.usage.gpu.seconds").description("GPU-seconds of ended server sessions")
                .tag("group", group).tag("profile", profile == null ? "" : profile).tag("gpu", gpu == null ? "" : gpu)
                .register(registry).increment(seconds);
    }

    public void cullerPass(Duration took) {
        Timer.builder("ganymede.culler.pass.duration").description("Time of one culler pass over the running servers")
                .publishPercentileHistogram().register(registry).record(took);
    }

    /** Running servers without activity for a culler period (or the timeout if shorter), per profile, as of the last pass. */
    public void idleServers(Map<String, Long> byProfile) {
        idle.keySet().forEach(profile -> idle.get(profile).set(byProfile.getOrDefault(profile, 0L)));
        byProfile.forEach((profile, count) -> idle.computeIfAbsent(profile, p -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("ganymede.culler.idle.servers", value, AtomicLong::get)
                    .description("Running servers without activity for a culler period (or the culler timeout if shorter)")
                    .tag("profile", p).register(registry);
            return value;
        }).set(count));
    }

    private Timer histogram(String name, String description, String status) {
        return Timer.builder(name).description(description).tag("status", status)
                .publishPercentileHistogram().register(registry);
    }
}
