package io.reefline.cell.relay;

import java.time.Instant;
import java.util.Objects;

/**
 * One message the relay owes the hub: what to send where, exactly as it will be sent on every attempt.
 *
 * @param id the relay's id of the message, answered to the sender; the same for repeats of one idempotent request
 * @param destination the hub service it goes to
 * @param path the path at the hub, e.g. {@code /api/cords/forwarded}
 * @param hubKey the {@code Idempotency-Key} sent with every attempt (null: none; the body carries its own id)
 * @param acceptedAt when the relay accepted it (the cell's clock)
 * @param summary what it is, for logs and the rejected folder
 * @param body the JSON body sent to the hub
 */
public record RelayMessage(
        String id,
        Destination destination,
        String path,
        String hubKey,
        Instant acceptedAt,
        String summary,
        String body) {

    public RelayMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(body, "body");
    }
}
