package io.reefline.platform.outbox;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The receiving side of an outbox message: a POST of the event's JSON to the receiver's event path. */
interface EventReceiverApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response post(
            @HeaderParam("Authorization") String authorization,
            @HeaderParam("Idempotency-Key") String eventId,
            String payload);
}
