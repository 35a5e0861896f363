package io.ganymede.hub.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

@Entity
@Table(name = "users")
public class UserEntity extends PanacheEntityBase {

    /** Characters a user name may have (users.name). */
    public static final int NAME_LENGTH = 255;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, length = NAME_LENGTH)
    public String name;

    public boolean admin;

    @Column(nullable = false)
    public Instant created;

    @Column(name = "last_activity")
    public Instant lastActivity;

    // Batched: a page of 200 users loads its groups and its servers in one query each, not 200.
    @ManyToMany
    @org.hibernate.annotations.BatchSize(size = 200)
    @JoinTable(name = "group_members",
            joinColumns = @JoinColumn(name = "user_id"),
            inverseJoinColumns = @JoinColumn(name = "group_id"))
    @OrderBy("name")
    public Set<GroupEntity> groups = new LinkedHashSet<>();

    @OneToMany(mappedBy = "user")
    @org.hibernate.annotations.BatchSize(size = 200)
    @OrderBy("name")
    public List<ServerEntity> servers = new ArrayList<>();

    public static Optional<UserEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public Optional<ServerEntity> server(String serverName) {
        return servers.stream().filter(s -> s.name.equals(serverName)).findFirst();
    }

    public Set<String> groupNames() {
        Set<String> names = new LinkedHashSet<>();
        groups.forEach(g -> names.add(g.name));
        return names;
    }

    /** Records activity, keeping only the newest time as JupyterHub does. */
    public void touch(Instant when) {
        if (when != null && (lastActivity == null || when.isAfter(lastActivity))) {
            lastActivity = when;
        }
    }
}
