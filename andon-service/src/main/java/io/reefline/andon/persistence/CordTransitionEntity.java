package io.reefline.andon.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One step in a cord's life (pull, resolve, close, reopen), with who and when. */
@Entity
@Table(name = "cord_transition")
public class CordTransitionEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "cord_transition_seq")
    @SequenceGenerator(name = "cord_transition_seq", sequenceName = "cord_transition_seq", allocationSize = 50)
    public Long id;

    @Column(name = "cord_id", nullable = false)
    public long cordId;

    @Column(nullable = false, length = 10)
    public String action;

    @Column(nullable = false, length = 200)
    public String actor;

    @Column(nullable = false)
    public Instant at;

    @Column(length = 2000)
    public String note;

    public static CordTransitionEntity record(long cordId, String action, String actor, Instant at, String note) {
        CordTransitionEntity transition = new CordTransitionEntity();
        transition.cordId = cordId;
        transition.action = action;
        transition.actor = actor;
        transition.at = at;
        transition.note = note;
        transition.persist();
        return transition;
    }

    public static List<CordTransitionEntity> ofCord(long cordId) {
        return list("cordId = ?1 order by at, id", cordId);
    }

    /** The histories of several cords in one query, by cord id. */
    public static Map<Long, List<CordTransitionEntity>> ofCords(Collection<Long> cordIds) {
        if (cordIds.isEmpty()) {
            return Map.of();
        }
        return CordTransitionEntity.<CordTransitionEntity>list("cordId in ?1 order by at, id", cordIds).stream()
                .collect(Collectors.groupingBy(t -> t.cordId, Collectors.toList()));
    }
}
