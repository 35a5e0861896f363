package io.ganymede.hub.persistence;

import java.util.Optional;

/**
 * The order of a list of users, as JupyterHub 5's {@code GET /users?sort=}: {@code id},
 * {@code name} or {@code last_activity}, a leading {@code -} for descending. Users never active
 * come first going up and last going down, as there; ties go by id, so pages never overlap.
 */
public record UserOrder(String column, boolean descending) {

    public static final UserOrder ID = new UserOrder("id", false);

    /** The order a {@code sort} parameter names, or empty for anything else. */
    public static Optional<UserOrder> parse(String sort) {
        boolean descending = sort.startsWith("-");
        String key = descending ? sort.substring(1) : sort;
        String column = switch (key) {
            case "id" -> "id";
            case "name" -> "name";
            case "last_activity" -> "lastActivity";
            default -> null;
        };
        return column == null ? Optional.empty() : Optional.of(new UserOrder(column, descending));
    }

    /** The HQL {@code order by} list for users aliased {@code alias}. */
    public String hql(String alias) {
        String direction = descending ? " desc" + (column.equals("lastActivity") ? " nulls last" : "")
                : " asc" + (column.equals("lastActivity") ? " nulls first" : "");
        String order = alias + "." + column + direction;
        return column.equals("id") ? order : order + ", " + alias + ".id";
    }
}
