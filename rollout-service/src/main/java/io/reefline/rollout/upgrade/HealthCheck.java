package io.reefline.rollout.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.platform.net.OutgoingHttp;
import io.reefline.platform.net.RefusedDestination;
import io.reefline.rollout.upgrade.reconcile.HealthProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The post-upgrade check: a GET of the instance's health URL. It passes on a 2xx answer; when the answer is JSON with
 * an {@code image} field, that must be the new image too, so an instance still served by old pods does not pass.
 *
 * <p>The URL comes from the instance's own annotation, so it is treated as untrusted: it goes through {@link
 * OutgoingHttp} (a refused destination, such as a metadata endpoint or the hub's own loopback, fails the check and is
 * never fetched), at most {@code reefline.upgrades.health-body-limit} bytes of the answer are read, and only a short,
 * plain-text excerpt of it is kept in the upgrade's reason.
 */
@ApplicationScoped
public class HealthCheck implements HealthProbe {

    static final int EXCERPT = 200;

    private final OutgoingHttp http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final int bodyLimit;

    HealthCheck(ObjectMapper json, UpgradeSettings settings, OutgoingHttp http) {
        this.json = json;
        this.http = http;
        this.timeout = settings.checkTimeout();
        this.bodyLimit = settings.healthBodyLimit();
    }

    @Override
    public Result check(String url, String expectedImage) {
        String get = "GET " + excerpt(url);
        OutgoingHttp.Answer answer;
        try {
            answer = http.get(url, Map.of("Accept", "application/json"), timeout, bodyLimit);
        } catch (RefusedDestination e) {
            return new Result(false, get + " not sent: the destination is refused (" + e.getMessage() + ")");
        } catch (IOException e) {
            return new Result(false, get + " failed: " + excerpt(String.valueOf(e.getMessage())));
        }
        if (answer.truncated()) {
            return new Result(false, get + " answered " + answer.status() + " with more than " + bodyLimit + " bytes");
        }
        String body = answer.text();
        if (answer.status() / 100 != 2) {
            return new Result(false, get + " answered " + answer.status() + " " + excerpt(body));
        }
        try {
            JsonNode health = json.readTree(body);
            if (health != null
                    && health.hasNonNull("image")
                    && !expectedImage.equals(health.get("image").asText())) {
                return new Result(
                        false,
                        get + " is served by " + excerpt(health.get("image").asText()) + ", not " + expectedImage);
            }
        } catch (IOException notJson) {
            // Any 2xx body is healthy; only a JSON answer naming an image is compared.
        }
        return new Result(true, get + " answered " + answer.status());
    }

    /** At most {@link #EXCERPT} characters, control characters (line breaks, escapes) shown as spaces. */
    static String excerpt(String text) {
        String shown = text.length() > EXCERPT ? text.substring(0, EXCERPT) + "..." : text;
        StringBuilder plain = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> plain.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return plain.toString();
    }
}
