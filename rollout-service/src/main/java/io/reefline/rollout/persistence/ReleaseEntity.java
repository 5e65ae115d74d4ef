package io.reefline.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * A registered release with everything needed to plan it the same way on every call: the policy in force when it was
 * registered, the seed, and the ring assignment (canaries included) drawn from that seed. Never changed afterwards.
 */
@Entity
@Table(name = "release")
public class ReleaseEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "release_seq")
    @SequenceGenerator(name = "release_seq", sequenceName = "release_seq", allocationSize = 50)
    public Long id;

    @Column(nullable = false, length = 100, unique = true)
    public String version;

    @Column(nullable = false, length = 500)
    public String image;

    @Column(nullable = false, length = 100)
    public String channel;

    /** JSON array of commit SHAs. */
    @Column(nullable = false, columnDefinition = "text")
    public String commits;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public boolean expedite;

    @Column(name = "ignore_windows", nullable = false)
    public boolean ignoreWindows;

    @Column(name = "ignore_windows_reason", length = 2000)
    public String ignoreWindowsReason;

    @Column(name = "registered_by", nullable = false, length = 200)
    public String registeredBy;

    /** When Reefline learned of the release: the time its first ring opened. */
    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Column(nullable = false)
    public long seed;

    /** The policy document in force at registration. */
    @Column(nullable = false, columnDefinition = "text")
    public String policy;

    /** JSON object: instance id to ring name. */
    @Column(nullable = false, columnDefinition = "text")
    public String assignment;

    /** JSON array of the canary selections, reasons included. */
    @Column(nullable = false, columnDefinition = "text")
    public String canaries;

    /** Every release, most recently registered first. */
    public static List<ReleaseEntity> newestFirst() {
        return list("order by registeredAt desc, id desc");
    }
}
