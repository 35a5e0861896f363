package io.ganymede.hub.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** GPUs of one type held for a group's members from {@code startsAt} to {@code endsAt}. */
@Entity
@Table(name = "gpu_reservations")
public class ReservationEntity extends PanacheEntityBase {

    public static final int NOTE_LENGTH = 1024;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "group_id")
    public GroupEntity group;

    @Column(name = "gpu_type", nullable = false)
    public String gpuType;

    @Column(nullable = false)
    public int gpus;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;

    @Column(length = NOTE_LENGTH)
    public String note;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    /** Reservations not over at {@code now}, earliest first. */
    public static List<ReservationEntity> notOver(Instant now) {
        return list("endsAt > ?1 order by startsAt, id", now);
    }
}
