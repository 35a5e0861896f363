package io.ganymede.hub.fairuse;

import io.ganymede.hub.api.ApiException;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.spawner.ProfileCapacity;
import io.ganymede.hub.usage.Session;
import io.ganymede.hub.usage.SessionFacts;
import io.ganymede.hub.usage.Usage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Whether a start may go ahead under the quotas of the user's groups and the GPU reservations in
 * force, asked before any pod exists. A refusal is a 403 with JupyterHub's error shape, the
 * numbers, and when it frees up.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final FairUseConfig config;
    private final Usage usage;
    private final Reservations reservations;
    private final GpuInventory inventory;

    Admission(FairUseConfig config, Usage usage, Reservations reservations, GpuInventory inventory) {
        this.config = config;
        this.usage = usage;
        this.reservations = reservations;
        this.inventory = inventory;
    }

    /** The quotas that apply to a user: each group's own, else the default; the default alone for a user in no group. */
    public List<Map.Entry<QuotaRules.Subject, QuotaLimits>> quotas(String user, Set<String> groups) {
        List<Map.Entry<QuotaRules.Subject, QuotaLimits>> quotas = new ArrayList<>();
        FairUseConfig.Quota fallback = config.quotas().get(FairUseConfig.DEFAULT);
        if (groups.isEmpty()) {
            if (fallback != null) {
                quotas.add(Map.entry(new QuotaRules.Subject(null, user), QuotaLimits.of(fallback)));
            }
            return quotas;
        }
        for (String group : groups.stream().sorted().toList()) {
            FairUseConfig.Quota q = config.quotas().getOrDefault(group, fallback);
            if (q != null) {
                quotas.add(Map.entry(new QuotaRules.Subject(group, user), QuotaLimits.of(q)));
            }
        }
        return quotas;
    }

    /**
     * Starts admitted here whose server does not run yet (no session), by {@code user/server}:
     * quotas count them as running, so starts asked for at once cannot pass a limit together.
     */
    private final Map<String, Session> admitted = new ConcurrentHashMap<>();

    /**
     * Admits a start, or refuses it as {@link #check} does; an admitted start counts as running for
     * quotas until {@link #settled}. Checks and admissions happen one at a time.
     */
    public synchronized void admit(String user, String server, Map<String, Object> spec) {
        check(user, spec);
        SessionFacts facts = SessionFacts.of(spec);
        admitted.put(user + "/" + server, new Session(-1, user, server, groupsOf(user).stream().sorted().toList(), facts.profile(),
                facts.gpuType(), facts.gpus(), facts.cpus(), facts.memBytes(), usage.now(), null, null));
    }

    /** The admitted start runs (its session is open) or ended: it no longer counts from here. */
    public void settled(String user, String server) {
        admitted.remove(user + "/" + server);
    }

    /**
     * Refuses a start that would pass a quota or take GPUs reserved for others.
     *
     * @throws ApiException 403 with the numbers
     */
    public void check(String user, Map<String, Object> spec) {
        Set<String> groups = groupsOf(user);
        SessionFacts facts = SessionFacts.of(spec);
        Instant now = usage.now();
        var quotas = quotas(user, groups);
        boolean gpu = facts.gpus() > 0 && facts.gpuType() != null;
        if (quotas.isEmpty() && !gpu) {
            return;
        }
        // Admitted starts are read before the sessions: one that opens its session in between is
        // then seen twice (counted once below), never in neither list.
        List<Session> starting = List.copyOf(admitted.values());
        List<Session> sessions = quotas.isEmpty() ? usage.open() : counted(now);
        List<Session> withAdmitted = new ArrayList<>(sessions);
        starting.stream().filter(a -> sessions.stream().noneMatch(s -> s.open() && s.user().equals(a.user())
                && s.server().equals(a.server()))).forEach(withAdmitted::add);
        for (var q : quotas) {
            Optional<QuotaRules.Refusal> refusal = QuotaRules.check(q.getKey(), q.getValue(), facts.gpus(), withAdmitted, now);
            if (refusal.isPresent()) {
                LOG.infof("start of %s refused by quota: %s", user, refusal.get().message());
                throw new ApiException(403, refusal.get().message(), refusal.get().details());
            }
        }
        if (gpu) {
            checkReservations(user, groups, facts, sessions.stream().filter(Session::open).toList(), now);
        }
    }

    /** Sessions quota rules may count: those of this month and of the last 7 days, and every open one. */
    public List<Session> counted(Instant now) {
        Instant from = Stream.of(Usage.monthStart(now), now.minus(QuotaRules.WEEK)).min(Comparator.naturalOrder()).get();
        return usage.sessions(from, now.plusSeconds(1));
    }

    private void checkReservations(String user, Set<String> groups, SessionFacts facts, List<Session> open, Instant now) {
        List<Reservation> active = reservations.active();
        List<Reservation> holding = ReservationBook.heldFrom(active, groups, facts.gpuType(), open, now);
        if (holding.isEmpty() || !inventory.known()) {
            return;
        }
        int held = ReservationBook.held(active, groups, facts.gpuType(), open, now);
        int free = inventory.free().getOrDefault(facts.gpuType(), 0);
        int forYou = Math.max(0, free - held);
        if (facts.gpus() <= forYou) {
            return;
        }
        String name = ProfileCapacity.gpuName(facts.gpuType());
        Instant frees = holding.stream().map(Reservation::ends).min(Comparator.naturalOrder()).get();
        String by = holding.stream().map(r -> "group " + r.group() + " until " + r.ends()).collect(Collectors.joining(", "));
        String message = "No " + name + " GPU is free for you now: " + held + " of the " + free + " free " + name
                + " GPUs are reserved (" + by + "); this start needs " + facts.gpus() + ". They free up at " + frees
                + ", or sooner when a server stops.";
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("gpu", facts.gpuType());
        r.put("needed", facts.gpus());
        r.put("free", free);
        r.put("reserved_for_others", held);
        r.put("groups", holding.stream().map(Reservation::group).distinct().toList());
        r.put("frees_at", frees.toString());
        details.put("reservation", r);
        LOG.infof("start of %s refused by reservations: %s", user, message);
        throw new ApiException(403, message, details);
    }

    /** GPUs of each type held now from a user by other groups' reservations (for the capacity view). */
    public Map<String, Integer> heldFrom(String user) {
        List<Reservation> active = reservations.active();
        if (active.isEmpty()) {
            return Map.of();
        }
        Set<String> groups = groupsOf(user);
        List<Session> open = usage.open();
        Map<String, Integer> held = new LinkedHashMap<>();
        active.stream().map(Reservation::gpuType).distinct().forEach(type -> {
            int n = ReservationBook.held(active, groups, type, open, usage.now());
            if (n > 0) {
                held.put(type, n);
            }
        });
        return held;
    }

    /** The quota lines for the spawn page, for a profile asking {@code gpus} GPUs ("31 of 40 GPU-hours used this month"). */
    public List<String> quotaState(String user, int gpus) {
        var quotas = quotas(user, groupsOf(user));
        if (quotas.isEmpty()) {
            return List.of();
        }
        Instant now = usage.now();
        List<Session> sessions = counted(now);
        List<String> lines = new ArrayList<>();
        for (var q : quotas) {
            QuotaRules.state(q.getKey(), q.getValue(), sessions, now).stream()
                    .filter(line -> gpus > 0 || !line.contains("GPU"))
                    .forEach(lines::add);
        }
        return lines;
    }

    private static Set<String> groupsOf(String user) {
        return QuarkusTransaction.requiringNew().call(() -> UserEntity.findByName(user)
                .map(u -> Set.copyOf(u.groupNames())).orElse(Set.of()));
    }
}
