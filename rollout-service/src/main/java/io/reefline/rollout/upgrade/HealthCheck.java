package io.reefline.rollout.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.rollout.upgrade.reconcile.HealthProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The post-upgrade check: a GET of the instance's health URL. It passes on a 2xx answer; when the answer is JSON with
 * an {@code image} field, that must be the new image too, so an instance still served by old pods does not pass.
 */
@ApplicationScoped
public class HealthCheck implements HealthProbe {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    HealthCheck(ObjectMapper json, UpgradeSettings settings) {
        this.json = json;
        this.timeout = settings.checkTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Result check(String url, String expectedImage) {
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(timeout)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            return new Result(false, "GET " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "GET " + url + " interrupted");
        }
        String body = response.body() == null ? "" : response.body();
        String shown = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        if (response.statusCode() / 100 != 2) {
            return new Result(false, "GET " + url + " answered " + response.statusCode() + " " + shown);
        }
        try {
            JsonNode answer = json.readTree(body);
            if (answer != null
                    && answer.hasNonNull("image")
                    && !expectedImage.equals(answer.get("image").asText())) {
                return new Result(
                        false,
                        "GET " + url + " is served by " + answer.get("image").asText() + ", not " + expectedImage);
            }
        } catch (IOException notJson) {
            // Any 2xx body is healthy; only a JSON answer naming an image is compared.
        }
        return new Result(true, "GET " + url + " answered " + response.statusCode());
    }
}
