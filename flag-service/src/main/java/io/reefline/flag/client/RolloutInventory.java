package io.reefline.flag.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.ServiceCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads every instance rollout-service knows, page by page, with this service's token (a viewer). Any failure throws
 * (after retries, or at once while the circuit is open): a partial inventory would drop tenants, so callers keep
 * what they had instead.
 */
@ApplicationScoped
public class RolloutInventory {

    /** rollout's largest page; the fleet is a few thousand instances, so a handful of requests. */
    static final int PAGE_SIZE = PageRequest.MAX_SIZE;

    /** Stops a misbehaving server that keeps answering full pages from keeping a refresh busy forever. */
    private static final int MAX_PAGES = 1000;

    private final RolloutInstancesApi api;
    private final ServiceCredentials credentials;

    RolloutInventory(@RestClient RolloutInstancesApi api, ServiceCredentials credentials) {
        this.api = api;
        this.credentials = credentials;
    }

    /** Every instance, in rollout's order (by reef, id); a failed page retries the whole read, which stays consistent. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10, delayUnit = ChronoUnit.SECONDS)
    public List<JsonNode> instances() {
        String authorization = credentials.authorization().orElse(null);
        List<JsonNode> instances = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode body = api.instances(authorization, page, PAGE_SIZE);
            JsonNode items = body == null ? null : body.get("items");
            if (items == null || !items.isArray()) {
                throw new IllegalStateException("rollout-service answered page " + page + " without items");
            }
            items.forEach(instances::add);
            long total = body.path("total").asLong(0);
            if (items.isEmpty() || instances.size() >= total) {
                return instances;
            }
        }
        throw new IllegalStateException("rollout-service kept answering past " + MAX_PAGES + " pages");
    }
}
