package io.reefline.cell.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells which customer instance a sidecar runs beside, from its pod's projected service-account token, with the
 * cluster's own identity rather than a shared secret: the reef's Kubernetes API reviews the token (TokenReview, for
 * {@code reefline.cell.instances.audience}), the review names the pod the token is bound to, and that pod (in the
 * instances' namespace, with the same uid) carries the instance's label {@code reefline.io/instance} and runs the
 * instance's release in its instance container.
 *
 * <p>Answers are kept for {@code reefline.cell.instances.cache-ttl} (never beyond the token's expiry), at most {@code
 * cache-size} of them, and loaded once however many requests bring the same token at once: a burst of cords costs the
 * API one review and one pod read.
 */
@ApplicationScoped
public class InstanceIdentities {

    private static final Logger LOG = Logger.getLogger(InstanceIdentities.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The label that makes a pod (and its Deployment) a customer instance, as rollout-service discovers them. */
    static final String INSTANCE_LABEL = "reefline.io/instance";

    static final String POD_NAME = "authentication.kubernetes.io/pod-name";
    static final String POD_UID = "authentication.kubernetes.io/pod-uid";
    private static final Pattern SERVICE_ACCOUNT = Pattern.compile("system:serviceaccount:([^:]+):([^:]+)");
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    /** The token is not (or no longer) valid for this cell: 401. */
    public static final class RefusedTokenException extends Exception {
        RefusedTokenException(String message) {
            super(message);
        }
    }

    /** The token is valid, but its holder is not a customer instance: 403. */
    public static final class NotAnInstanceException extends Exception {
        NotAnInstanceException(String message) {
            super(message);
        }
    }

    /** The reef's Kubernetes API cannot answer now: 503, the sidecar sends again later. */
    public static final class ApiUnavailableException extends Exception {
        ApiUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What the API said of a token: a refusal, or the service account and pod it is bound to. */
    private record Review(String refusal, String username, String podName, String podUid) {}

    /** What the cell needs of a pod; {@code uid} null when there is no such pod. */
    private record PodFacts(String uid, String instanceId, String image) {}

    private final InstanceIdentityConfig config;
    private final Clock clock;
    private final Optional<ReefApi> api;
    private final ExpiringCache<Review> reviews;
    private final ExpiringCache<PodFacts> pods;
    private final AtomicLong reviewsSent = new AtomicLong();
    private final AtomicLong podReads = new AtomicLong();

    InstanceIdentities(InstanceIdentityConfig config) {
        this.config = config;
        this.clock = Clock.systemUTC();
        Optional<URI> base = config.apiServer().or(ReefApi::inCluster);
        this.api = base.map(uri -> new ReefApi(uri, config.tokenFile(), config.caFile(), config.timeout()));
        this.reviews = new ExpiringCache<>(config.cacheSize(), clock);
        this.pods = new ExpiringCache<>(config.cacheSize(), clock);
        if (api.isEmpty()) {
            LOG.info("No Kubernetes API (reefline.cell.instances.api-server, or KUBERNETES_SERVICE_HOST): sidecars'"
                    + " pod tokens are refused; people's tokens are verified as before");
        } else {
            LOG.info("Sidecars prove their instance with pod tokens for audience " + config.audience()
                    + ", reviewed by " + base.get());
        }
    }

    /** Whether sidecar tokens can be checked at all (a Kubernetes API is known). */
    public boolean enabled() {
        return api.isPresent();
    }

    /** The instance whose pod holds {@code token}. */
    public InstanceCaller verify(String token)
            throws RefusedTokenException, NotAnInstanceException, ApiUnavailableException {
        if (api.isEmpty()) {
            throw new RefusedTokenException("This cell takes no pod tokens: it knows no Kubernetes API");
        }
        if (!JWT.matcher(token).matches()) {
            throw new RefusedTokenException("The bearer token is not a JWT");
        }
        Review review = load(reviews, digest(token), () -> reviewOf(token));
        if (review.refusal() != null) {
            throw new RefusedTokenException(review.refusal());
        }
        Matcher account = SERVICE_ACCOUNT.matcher(review.username());
        if (!account.matches()) {
            throw new NotAnInstanceException(review.username() + " is not a service account of a pod");
        }
        String namespace = account.group(1);
        if (!namespace.equals(config.namespace())) {
            throw new NotAnInstanceException(
                    review.username() + " is not in the instances' namespace " + config.namespace());
        }
        if (review.podName() == null || review.podUid() == null) {
            throw new NotAnInstanceException("The token of " + review.username() + " is not bound to a pod");
        }
        String podKey = namespace + "/" + review.podName();
        PodFacts pod = load(pods, podKey, () -> podOf(namespace, review.podName()));
        if (!review.podUid().equals(pod.uid())) {
            // Read before the pod was replaced by one of the same name: read it again, once.
            pods.forget(podKey);
            pod = load(pods, podKey, () -> podOf(namespace, review.podName()));
        }
        if (!review.podUid().equals(pod.uid())) {
            throw new RefusedTokenException("The pod the token is bound to (" + podKey + ") no longer runs");
        }
        if (pod.instanceId() == null || pod.instanceId().isBlank()) {
            throw new NotAnInstanceException(
                    "Pod " + podKey + " is not a customer instance (no " + INSTANCE_LABEL + " label)");
        }
        String tag = ReleaseVersions.tag(pod.image());
        return new InstanceCaller(
                pod.instanceId(),
                namespace,
                review.podName(),
                account.group(2),
                pod.image(),
                ReleaseVersions.isVersion(tag) ? tag : null);
    }

    private ExpiringCache.Timed<Review> reviewOf(String token) throws IOException {
        reviewsSent.incrementAndGet();
        JsonNode status = api.get().tokenReview(token, config.audience());
        Instant keepUntil = keepUntil(token);
        if (!status.path("authenticated").asBoolean(false)) {
            String error = status.path("error").asText("");
            return new ExpiringCache.Timed<>(
                    new Review(
                            "The reef's Kubernetes API does not accept the token for " + config.audience()
                                    + (error.isBlank() ? "" : ": " + shortly(error)),
                            null,
                            null,
                            null),
                    keepUntil);
        }
        // An API server that ignores the audiences asked for answers none; its yes would be for its own audience.
        boolean forUs = false;
        for (JsonNode audience : status.path("audiences")) {
            forUs |= config.audience().equals(audience.asText());
        }
        if (!forUs) {
            return new ExpiringCache.Timed<>(
                    new Review(
                            "The token is not for audience " + config.audience()
                                    + " (the reef's Kubernetes API did not confirm it)",
                            null,
                            null,
                            null),
                    keepUntil);
        }
        JsonNode user = status.path("user");
        JsonNode extra = user.path("extra");
        return new ExpiringCache.Timed<>(
                new Review(
                        null,
                        user.path("username").asText(""),
                        first(extra.path(POD_NAME)),
                        first(extra.path(POD_UID))),
                keepUntil);
    }

    private ExpiringCache.Timed<PodFacts> podOf(String namespace, String name) throws IOException {
        podReads.incrementAndGet();
        Optional<JsonNode> pod = api.get().pod(namespace, name);
        Instant keepUntil = clock.instant().plus(config.cacheTtl());
        if (pod.isEmpty()) {
            return new ExpiringCache.Timed<>(new PodFacts(null, null, null), keepUntil);
        }
        JsonNode metadata = pod.get().path("metadata");
        String image = null;
        for (JsonNode container : pod.get().path("spec").path("containers")) {
            if (config.container().equals(container.path("name").asText())) {
                image = container.path("image").asText(null);
            }
        }
        return new ExpiringCache.Timed<>(
                new PodFacts(
                        metadata.path("uid").asText(null),
                        metadata.path("labels").path(INSTANCE_LABEL).asText(null),
                        image),
                keepUntil);
    }

    /** The cache's answer, with a failure to reach the API as a 503. */
    private static <V> V load(ExpiringCache<V> cache, String key, ExpiringCache.Loader<V> loader)
            throws ApiUnavailableException {
        try {
            return cache.get(key, loader);
        } catch (IOException e) {
            throw new ApiUnavailableException(
                    "The reef's Kubernetes API cannot check the token now: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ApiUnavailableException("The reef's Kubernetes API cannot check the token now: " + e, e);
        }
    }

    /** Now plus the cache's time, but never past the token's own expiry (read unverified: it only shortens). */
    private Instant keepUntil(String token) {
        Instant until = clock.instant().plus(config.cacheTtl());
        try {
            String payload = token.split("\\.")[1];
            long exp = JSON.readTree(Base64.getUrlDecoder().decode(payload))
                    .path("exp")
                    .asLong(0);
            if (exp > 0 && Instant.ofEpochSecond(exp).isBefore(until)) {
                return Instant.ofEpochSecond(exp);
            }
        } catch (IOException | IllegalArgumentException e) {
            // no readable expiry: the cache's time alone
        }
        return until;
    }

    private static String first(JsonNode values) {
        return values.isArray() && !values.isEmpty() ? values.get(0).asText(null) : null;
    }

    private static String digest(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortly(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** TokenReviews sent to the reef's API since the start (the rest were answered from the cache). */
    public long reviewsSent() {
        return reviewsSent.get();
    }

    /** Pods read from the reef's API since the start. */
    public long podReads() {
        return podReads.get();
    }

    /** For the relay's part details. */
    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kubernetesApi", api.map(a -> a.base().toString()).orElse("none: pod tokens are refused"));
        details.put("audience", config.audience());
        details.put("namespace", config.namespace());
        details.put("tokenReviews", reviewsSent.get());
        return details;
    }
}
