package io.reefline.sidecar;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The sidecar's HTTP calls: to the instance (health, version) and to Reefline (downtime, cords). */
final class ControlPlane {

    /** What a GET answered: a status (0 when nothing answered), the body, and what went wrong if anything. */
    record Answer(int status, String body, String failure) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** Short form for the evidence of a pull: {@code 503} or {@code no answer (ConnectException)}. */
        String summary() {
            return status == 0 ? "no answer (" + failure + ")" : String.valueOf(status);
        }
    }

    private final HttpClient http;
    private final Duration timeout;
    private final BearerToken token;

    ControlPlane(Duration timeout, BearerToken token) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
        this.token = token;
    }

    Answer get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        return send(request);
    }

    /** POSTs JSON to a Reefline service with the sidecar's bearer token (and an Idempotency-Key, unless null). */
    Answer post(URI uri, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        token.current().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return new Answer(0, "", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", "interrupted");
        }
    }
}
