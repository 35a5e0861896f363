package io.ganymede.hub.sharing;

import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.UserEntity;

/** Who a share is for: exactly one of a user or a group. */
public record Recipient(UserEntity user, GroupEntity group) {

    public Recipient {
        if ((user == null) == (group == null)) {
            throw new IllegalArgumentException("a share is for exactly one user or one group");
        }
    }

    public static Recipient of(UserEntity user) {
        return new Recipient(user, null);
    }

    public static Recipient of(GroupEntity group) {
        return new Recipient(null, group);
    }

    /** {@code user:alice} or {@code group:ds}, for the log. */
    @Override
    public String toString() {
        return user != null ? "user:" + user.name : "group:" + group.name;
    }
}
