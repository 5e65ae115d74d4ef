package io.reefline.platform.outbox;

import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** What this service still owes the others: for operators checking that nothing is stuck. */
@Path("/api/outbox")
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {

    /** Counts and the messages still waiting, oldest first. */
    public record OutboxState(long pending, long delivered, List<Pending> waiting) {}

    /** A message not yet acknowledged. */
    public record Pending(
            String id,
            String destination,
            String path,
            Instant createdAt,
            int attempts,
            Instant nextAttemptAt,
            String lastError) {}

    private final EntityManager em;

    OutboxResource(EntityManager em) {
        this.em = em;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    public OutboxState state() {
        long pending = em.createQuery("select count(m) from OutboxMessage m where m.deliveredAt is null", Long.class)
                .getSingleResult();
        long delivered = em.createQuery(
                        "select count(m) from OutboxMessage m where m.deliveredAt is not null", Long.class)
                .getSingleResult();
        List<Pending> waiting = em.createQuery(
                        "from OutboxMessage m where m.deliveredAt is null order by m.createdAt", OutboxMessage.class)
                .setMaxResults(100)
                .getResultStream()
                .map(m -> new Pending(
                        m.id.toString(), m.destination, m.path, m.createdAt, m.attempts, m.nextAttemptAt, m.lastError))
                .toList();
        return new OutboxState(pending, delivered, waiting);
    }
}
