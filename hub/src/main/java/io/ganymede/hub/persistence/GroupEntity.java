package io.ganymede.hub.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

@Entity
@Table(name = "user_groups")
public class GroupEntity extends PanacheEntityBase {

    /** Characters a group name may have (user_groups.name). */
    public static final int NAME_LENGTH = 255;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, length = NAME_LENGTH)
    public String name;

    /** Free-form JSON object, as JupyterHub's group properties. */
    @Column(nullable = false)
    public String properties = "{}";

    @ManyToMany(mappedBy = "groups")
    @OrderBy("name")
    public Set<UserEntity> users = new LinkedHashSet<>();

    public static Optional<GroupEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
