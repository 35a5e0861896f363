package io.ganymede.hub.culler;

import io.ganymede.hub.activity.ActivityBuffer;
import io.ganymede.hub.leader.Leadership;
import io.ganymede.hub.metrics.HubMetrics;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.ServerEntity;
import io.ganymede.hub.usage.StopReason;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.profiles.AppKind;
import io.ganymede.hub.proxy.ProxyClient;
import io.ganymede.hub.proxy.ProxySync;
import io.ganymede.hub.spawn.SpawnCoordinator;
import io.ganymede.hub.spawn.Urls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The built-in culler: every {@code ganymede.culler.every}, on the leader only, one pass over the
 * running servers. A pass reads the servers in one query, asks the proxy only for the routes idle
 * since the earliest deadline could fall ({@code ?inactive_since=}), reads {@code /api/status} only
 * of Jupyter servers whose own reports say they are idle, applies {@link IdleRule}, stops what is
 * due ({@code concurrency} at a time) and warns the users of servers entering the warning window.
 */
@ApplicationScoped
public class IdleCuller {

    private static final Logger LOG = Logger.getLogger(IdleCuller.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** How the last pass went. */
    public record PassReport(Instant started, long durationMs, int checked, int culled) {}

    /** One running server as a pass sees it. */
    record Candidate(long id, ServerFacts facts, Policy policy) {
        record Policy(String profile, Limits limits) {}
    }

    private final CullerConfig config;
    private final ServerPolicies policies;
    private final SpawnCoordinator spawns;
    private final ProxyClient proxy;
    private final JupyterStatus status;
    private final CullNotices notices;
    private final Leadership leadership;
    private final HubMetrics metrics;
    private final ActivityBuffer activity;
    private final Clock clock;
    /** Runs (server id and start) whose /api/status gave no activity: not asked again. */
    private final Set<String> withoutStatus = ConcurrentHashMap.newKeySet();
    private volatile PassReport lastPass;
    /** When the next scheduled pass is due; the first comes one period after start. */
    private final Period period;

    IdleCuller(CullerConfig config, ServerPolicies policies, SpawnCoordinator spawns, ProxyClient proxy,
            JupyterStatus status, CullNotices notices, Leadership leadership, HubMetrics metrics, ActivityBuffer activity,
            Clock clock) {
        this.config = config;
        this.policies = policies;
        this.spawns = spawns;
        this.proxy = proxy;
        this.status = status;
        this.notices = notices;
        this.leadership = leadership;
        this.metrics = metrics;
        this.activity = activity;
        this.clock = clock;
        this.period = new Period(config::every);
    }

    public PassReport lastPass() {
        return lastPass;
    }

    public boolean leader() {
        return leadership.isLeader();
    }

    /**
     * A one-second tick that runs a pass once {@code every} has gone by: {@code every} is a
     * Duration setting (a plain number is seconds, as in z2jh), which {@code @Scheduled} cannot read.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!period.due()) {
            return;
        }
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.errorf(e, "culler pass failed");
        }
    }

    /** One pass; null when the culler is off or this replica does not lead. Blocking. */
    public synchronized PassReport pass() {
        if (!config.enabled() || !leadership.isLeader()) {
            return null;
        }
        Instant now = clock.instant();
        long t0 = System.nanoTime();
        // The pass reads activity from the database: reports still pending must be in it.
        activity.flush();
        List<Candidate> servers = load();
        Duration warning = config.warning();
        long loaded = System.nanoTime();
        servers = withProxyActivity(servers, now, warning);
        long proxied = System.nanoTime();
        servers = withJupyterStatus(servers, now, warning);
        long asked = System.nanoTime();

        List<Candidate> due = new ArrayList<>();
        Map<String, Long> idleByProfile = new TreeMap<>();
        // "Idle" for the metric: no activity for a culler period (or the hub's timeout, if shorter).
        Duration idleAfter = config.timeout().isZero() || config.every().compareTo(config.timeout()) < 0
                ? config.every() : config.timeout();
        Map<String, Set<String>> runningByUser = new HashMap<>();
        for (Candidate c : servers) {
            ServerFacts f = c.facts();
            runningByUser.computeIfAbsent(f.user(), k -> new HashSet<>()).add(f.serverName());
            Verdict v = IdleRule.judge(f, c.policy().limits(), now, warning);
            String profile = c.policy().profile() == null ? "" : c.policy().profile();
            boolean idle = v.activity() != null && !now.isBefore(v.activity().plus(idleAfter));
            idleByProfile.merge(profile, idle && v.action() != Verdict.Action.SKIP_PENDING ? 1L : 0L, Long::sum);
            if (v.action().culls()) {
                due.add(c);
            } else if (v.warning()) {
                notices.warn(f.user(), f.serverName(), v.cullAt(), reason(v, c.policy().limits()));
            } else if (v.action() == Verdict.Action.KEEP) {
                notices.clear(f.user(), f.serverName());
            }
        }
        notices.retain(runningByUser);
        Set<String> runs = new HashSet<>();
        servers.forEach(c -> runs.add(c.id() + "@" + c.facts().started()));
        status.retain(runs);
        withoutStatus.retainAll(runs);

        long judged = System.nanoTime();
        int culled = cull(due, now, warning);
        if (config.users()) {
            cullUsers(now);
        }
        metrics.idleServers(idleByProfile);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        metrics.cullerPass(took);
        lastPass = new PassReport(now, took.toMillis(), servers.size(), culled);
        LOG.debugf("culler pass: %d servers checked, %d culled in %d ms (load %d, proxy %d, status %d, judge %d, stops %d)",
                servers.size(), culled, took.toMillis(), (loaded - t0) / 1_000_000, (proxied - loaded) / 1_000_000,
                (asked - proxied) / 1_000_000, (judged - asked) / 1_000_000, (System.nanoTime() - judged) / 1_000_000);
        return lastPass;
    }

    private static String reason(Verdict v, Limits limits) {
        boolean byAge = limits.ageCulling() && (!limits.idleCulling() || v.activity() == null
                || !v.cullAt().equals(v.activity().plus(limits.timeout())));
        return byAge ? "max_age" : "idle";
    }

    /** Every running server with its owner's groups, in two queries (no entity graph). */
    private List<Candidate> load() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Set<String>> groups = new HashMap<>();
            for (Object[] row : UserEntity.getEntityManager().createQuery(
                    "select u.name, g.name from ServerEntity s join s.user u join u.groups g where s.url is not null",
                    Object[].class).getResultList()) {
                groups.computeIfAbsent((String) row[0], k -> new HashSet<>()).add((String) row[1]);
            }
            List<Candidate> out = new ArrayList<>();
            Map<String, ServerPolicies.Policy> byOptions = new HashMap<>();
            for (Object[] row : ServerEntity.getEntityManager().createQuery(
                    "select s.id, u.name, u.admin, s.name, s.started, s.lastActivity, s.reportedActivity, s.userOptions"
                            + " from ServerEntity s join s.user u where s.url is not null", Object[].class).getResultList()) {
                String user = (String) row[1];
                boolean admin = (Boolean) row[2];
                String name = (String) row[3];
                Set<String> userGroups = groups.getOrDefault(user, Set.of());
                String options = (String) row[7];
                // Most servers share a few option sets: resolve each combination once.
                ServerPolicies.Policy policy = byOptions.computeIfAbsent(options + "\u0000" + admin + "\u0000" + userGroups,
                        k -> policies.of(JsonColumns.object(options), userGroups, admin));
                ServerFacts facts = new ServerFacts(user, name, true, spawns.pending(user, name), policy.app(),
                        (Instant) row[4], (Instant) row[5], (Instant) row[6]);
                out.add(new Candidate((Long) row[0], facts, new Candidate.Policy(policy.profile(), policy.limits())));
            }
            return out;
        });
    }

    /**
     * Route activity newer than what the database holds (the route check collects it only every
     * {@code ganymede.proxy.check-interval}). Only the routes idle since {@code cutoff} are listed;
     * a running server's route that is not listed had traffic after {@code cutoff}, which is as
     * much as the rule needs: no deadline can fall within the warning period then. If the proxy
     * cannot be asked, servers judged by proxy traffic are left alone this pass.
     */
    private List<Candidate> withProxyActivity(List<Candidate> servers, Instant now, Duration warning) {
        Optional<Duration> shortest = servers.stream().map(c -> c.policy().limits())
                .filter(Limits::idleCulling).map(Limits::timeout).min(Duration::compareTo);
        if (shortest.isEmpty()) {
            return servers;
        }
        Duration lookBack = shortest.get().minus(warning);
        Instant cutoff = lookBack.isNegative() ? now : now.minus(lookBack);
        JsonObject idle;
        try {
            idle = proxy.routes(cutoff.toString()).await().atMost(CALL_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("culler: cannot list idle routes (%s); servers judged by proxy traffic are kept this pass", e.getMessage());
            return servers.stream().map(c -> new Candidate(c.id(), c.facts().withActivity(now), c.policy())).toList();
        }
        List<Candidate> out = new ArrayList<>(servers.size());
        for (Candidate c : servers) {
            ServerFacts f = c.facts();
            JsonObject route = idle.getJsonObject(ProxySync.tableKey(Urls.serverPrefix(f.user(), f.serverName())));
            Instant seen = route == null ? cutoff
                    : route.getString("last_activity") == null ? null : OffsetDateTime.parse(route.getString("last_activity")).toInstant();
            out.add(new Candidate(c.id(), f.withActivity(seen), c.policy()));
        }
        return out;
    }

    /** For Jupyter servers whose own reports say they are idle: the freshest word, from the server itself. */
    private List<Candidate> withJupyterStatus(List<Candidate> servers, Instant now, Duration warning) {
        if (!config.apiStatus()) {
            return servers;
        }
        Map<Long, Candidate> asked = new HashMap<>();
        for (Candidate c : servers) {
            ServerFacts f = c.facts();
            if (f.app() == AppKind.JUPYTERLAB && f.started() != null
                    && !withoutStatus.contains(c.id() + "@" + f.started())
                    && IdleRule.idleByOwnReports(f, c.policy().limits(), now, warning)) {
                asked.put(c.id(), c);
            }
        }
        if (asked.isEmpty()) {
            return servers;
        }
        Map<Long, String> targets = QuarkusTransaction.requiringNew().call(() -> {
            Map<Long, String> urls = new HashMap<>();
            ServerEntity.<ServerEntity>list("id in ?1", asked.keySet()).forEach(s -> urls.put(s.id, s.url));
            return urls;
        });
        Map<Long, Instant> runs = new HashMap<>();
        asked.values().forEach(c -> runs.put(c.id(), c.facts().started()));
        status.prepare(runs);
        Map<Long, Instant> answers = new ConcurrentHashMap<>();
        Multi.createFrom().iterable(asked.values()).filter(c -> targets.get(c.id()) != null)
                .onItem().transformToUni(c -> status.lastActivity(c.id(), c.facts().started(), c.facts().user(),
                                c.facts().serverName(), targets.get(c.id()))
                        .invoke(answer -> {
                            if (answer.isPresent()) {
                                Instant started = c.facts().started();
                                answers.put(c.id(), answer.get().isBefore(started) ? started : answer.get());
                            } else {
                                withoutStatus.add(c.id() + "@" + c.facts().started());
                            }
                        }))
                .merge(Math.max(1, config.concurrency())).collect().last().await().atMost(CALL_TIMEOUT);
        if (answers.isEmpty()) {
            return servers;
        }
        QuarkusTransaction.requiringNew().run(() -> answers.forEach((id, when) -> {
            ServerEntity server = ServerEntity.findById(id);
            if (server != null) {
                server.report(when);
            }
        }));
        return servers.stream().map(c -> answers.containsKey(c.id())
                ? new Candidate(c.id(), c.facts().withReported(answers.get(c.id())), c.policy()) : c).toList();
    }

    /** Stops the servers due, {@code concurrency} at a time; returns how many stopped or are stopping. */
    private int cull(List<Candidate> due, Instant now, Duration warning) {
        if (due.isEmpty()) {
            return 0;
        }
        List<Boolean> results = Multi.createFrom().iterable(due)
                .onItem().transformToUni(c -> Uni.createFrom().item(() -> stop(c, now, warning))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .merge(Math.max(1, config.concurrency())).collect().asList().await().indefinitely();
        return (int) results.stream().filter(Boolean::booleanValue).count();
    }

    private boolean stop(Candidate c, Instant now, Duration warning) {
        ServerFacts f = c.facts();
        Verdict v = IdleRule.judge(f, c.policy().limits(), now, warning);
        String reason = v.action().reason();
        try {
            if (spawns.pending(f.user(), f.serverName()) != null) {
                return false;
            }
            LOG.infof("culling server %s (%s; last activity %s, started %s)", f.displayName(),
                    reason.equals("idle") ? "inactive since " + v.activity() : "older than " + c.policy().limits().maxAge(),
                    f.lastActivity(), f.started());
            boolean done = spawns.stop(f.user(), f.serverName(),
                    reason.equals("idle") ? StopReason.CULLER : StopReason.MAX_AGE);
            if (done && !f.serverName().isEmpty() && config.removeNamedServers()) {
                QuarkusTransaction.requiringNew().run(() -> ServerEntity.find("user.name = ?1 and name = ?2",
                        f.user(), f.serverName()).firstResultOptional().ifPresent(s -> ((ServerEntity) s).delete()));
            }
            metrics.culled(reason);
            notices.culled(f.user(), f.serverName(), reason);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("culler could not stop %s: %s", f.displayName(), e.getMessage());
            return false;
        }
    }

    /** z2jh's {@code cull.users}: users with nothing running or starting, inactive for the hub's timeout. */
    private void cullUsers(Instant now) {
        Duration timeout = config.timeout();
        if (timeout.isZero()) {
            return;
        }
        List<String> names = QuarkusTransaction.requiringNew().call(() -> UserEntity.<UserEntity>find(
                        "from UserEntity u where not exists (from ServerEntity s where s.user = u and s.url is not null)"
                                + " and coalesce(u.lastActivity, u.created) <= ?1", now.minus(timeout)).stream()
                .filter(u -> !(u.admin && config.exemptAdmins()))
                .filter(u -> u.servers.stream().noneMatch(s -> spawns.pending(u.name, s.name) != null))
                .map(u -> u.name).toList());
        for (String name : names) {
            LOG.infof("culling user %s (inactive for at least %s)", name, timeout);
            QuarkusTransaction.requiringNew().run(() -> UserEntity.findByName(name).ifPresent(UserEntity::delete));
        }
    }
}
