package io.reefline.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Collection;
import java.util.UUID;

/**
 * Records an event for another service in the same transaction as the change that caused it. Either both are stored
 * or neither; {@link OutboxRelay} then delivers it until the receiver acknowledges.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;
    private final Clock clock;

    Outbox(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /**
     * Enqueues {@code event} for {@code POST <destination><path>}.
     *
     * @param eventId the id receivers deduplicate by; it must also be inside the payload if the receiver reads it there
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String destination, String path, UUID eventId, Object event) {
        OutboxMessage message = new OutboxMessage();
        message.id = eventId;
        message.destination = destination;
        message.path = path;
        try {
            message.payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        message.createdAt = clock.instant();
        message.nextAttemptAt = message.createdAt;
        message.persist();
    }

    /** Whether any of these events is still waiting to be delivered; false for an empty collection. */
    @Transactional
    public boolean anyUndelivered(Collection<UUID> eventIds) {
        return !eventIds.isEmpty() && OutboxMessage.count("id in ?1 and deliveredAt is null", eventIds) > 0;
    }
}
