package io.reefline.flag.rest;

import io.reefline.flag.ofrep.Ofrep;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** How every OFREP endpoint turns flag-core's answer into a JAX-RS response; one rule for all of them. */
final class OfrepAnswers {

    private OfrepAnswers() {}

    static Response toResponse(Ofrep.Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status());
        if (answer.etag() != null) {
            response.header(HttpHeaders.ETAG, answer.etag());
        }
        if (answer.wwwAuthenticate()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (answer.status() != 304) {
            response.type(answer.contentType()).entity(answer.body());
        }
        return response.build();
    }
}
