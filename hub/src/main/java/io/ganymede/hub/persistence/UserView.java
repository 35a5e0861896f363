package io.ganymede.hub.persistence;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A user as the API's models read them: columns, group names, and the servers that may show
 * (running or starting). {@link #page} and {@link #byName} read them as plain rows, in three
 * queries whatever the page's size, instead of managing 200 users, their collections and the snapshots
 * Hibernate keeps to dirty-check them at commit, which took most of a page's time.
 *
 * @param servers running or starting servers (as entities: few, and the culler's forecast needs them);
 *                for a user read as an entity, all of them
 */
public record UserView(long id, String name, boolean admin, Instant created, Instant lastActivity, Set<String> groups,
        List<ServerEntity> servers) {

    public static UserView of(UserEntity user) {
        return new UserView(user.id, user.name, user.admin, user.created, user.lastActivity, user.groupNames(), user.servers);
    }

    /** How many users there are. (Panache's {@code count()} derives a new query each time, translated anew.) */
    public static long count() {
        return UserEntity.getEntityManager().createQuery("select count(u) from UserEntity u", Long.class).getSingleResult();
    }

    /** Users in id order from {@code offset}, at most {@code limit}. */
    public static List<UserView> page(int offset, int limit) {
        return page(offset, limit, UserOrder.ID);
    }

    /** Users in the given order from {@code offset}, at most {@code limit}. */
    public static List<UserView> page(int offset, int limit, UserOrder order) {
        return views(UserEntity.getEntityManager().createQuery(COLUMNS + " order by " + order.hql("u"), Object[].class)
                .setFirstResult(offset).setMaxResults(limit).getResultList());
    }

    /** One user, read as a page of one. */
    public static Optional<UserView> byName(String name) {
        List<UserView> found = views(UserEntity.getEntityManager().createQuery(COLUMNS + " where u.name = :name", Object[].class)
                .setParameter("name", name).getResultList());
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static final String COLUMNS = "select u.id, u.name, u.admin, u.created, u.lastActivity from UserEntity u";

    /** Views of users' rows, in the rows' order, with their groups and the servers that may show. */
    private static List<UserView> views(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        EntityManager em = UserEntity.getEntityManager();
        // The other two queries ask for the range of the rows' ids: in id order, exactly the rows'
        // users. A list of 200 ids would make Hibernate translate each query anew (a query with a
        // list parameter is not cached), which cost more than running them. In another order
        // (?sort=name) the range may hold more users than the page; what they read is left out below.
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Object[] row : rows) {
            first = Math.min(first, (Long) row[0]);
            last = Math.max(last, (Long) row[0]);
        }
        Map<Long, Set<String>> groups = new HashMap<>();
        for (Object[] membership : em.createQuery("select u.id, g.name from UserEntity u join u.groups g"
                + " where u.id between :first and :last order by g.name", Object[].class)
                .setParameter("first", first).setParameter("last", last).getResultList()) {
            groups.computeIfAbsent((Long) membership[0], id -> new LinkedHashSet<>()).add((String) membership[1]);
        }
        // Stopped servers never show in a user's model; a start is recorded (pendingSince) before it is pending.
        Map<Long, List<ServerEntity>> servers = new HashMap<>();
        for (ServerEntity server : em.createQuery("select s from ServerEntity s join fetch s.user u where u.id between :first and :last"
                + " and (s.url is not null or s.pendingSince is not null) order by s.name", ServerEntity.class)
                .setParameter("first", first).setParameter("last", last).getResultList()) {
            servers.computeIfAbsent(server.user.id, id -> new ArrayList<>()).add(server);
        }
        List<UserView> views = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Long id = (Long) row[0];
            views.add(new UserView(id, (String) row[1], (Boolean) row[2], (Instant) row[3], (Instant) row[4],
                    groups.getOrDefault(id, Set.of()), servers.getOrDefault(id, List.of())));
        }
        return views;
    }

    /** The named server, if this view holds it. */
    public Optional<ServerEntity> server(String serverName) {
        for (ServerEntity server : servers) {
            if (server.name.equals(serverName)) {
                return Optional.of(server);
            }
        }
        return Optional.empty();
    }
}
