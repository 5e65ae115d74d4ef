package io.reefline.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * The service-account tokens of the sandbox's reefs, as a real API server issues and reviews them: RS256 JWTs bound to
 * a pod, with the claims Kubernetes puts into projected tokens ({@code iss}, {@code sub}
 * {@code system:serviceaccount:<ns>:<sa>}, {@code aud}, {@code exp}, {@code iat}, {@code nbf}, and under
 * {@code kubernetes.io} the namespace, the pod's and the service account's name and uid).
 *
 * <p>{@link #review} answers a TokenReview the way the API server's service-account authenticator does: the signature
 * (one key per sandbox), the reef's own issuer (a token of one reef is worthless in another), the expiry, an audience
 * shared with the review's {@code spec.audiences} (the API server's own audience when none is asked for) and, as for a
 * bound token, a pod of that name and uid that still exists.
 */
final class ServiceAccountTokens {

    /** The audience a reef's API server accepts for itself (a review that names none asks for this one). */
    static final String API_SERVER_AUDIENCE = "https://kubernetes.default.svc";

    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

    private final KeyPair keys = LocalKeys.generate();
    private final Clock clock;

    ServiceAccountTokens(Clock clock) {
        this.clock = clock;
    }

    /** The issuer of the tokens of {@code reef}: each reef is a cluster of its own. */
    static String issuer(String reef) {
        return "https://" + reef + ".reefs.sandbox.reefline.local";
    }

    /** A pod's token for {@code audience}, valid for {@code lifetime} from now (negative: expired that long ago). */
    String issue(String reef, InstancePods.Pod pod, String audience, Duration lifetime) {
        Instant now = clock.instant();
        Instant issuedAt = lifetime.isNegative() ? now.plus(lifetime).minus(Duration.ofHours(1)) : now;
        Instant expiresAt = now.plus(lifetime);
        ObjectNode claims = JSON.createObjectNode();
        claims.putArray("aud").add(audience);
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("nbf", issuedAt.getEpochSecond());
        claims.put("iss", issuer(reef));
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode kubernetes = claims.putObject("kubernetes.io");
        kubernetes.put("namespace", pod.namespace());
        kubernetes.putObject("pod").put("name", pod.name()).put("uid", pod.uid());
        kubernetes.putObject("serviceaccount").put("name", pod.serviceAccount()).put("uid", pod.serviceAccountUid());
        claims.put("sub", "system:serviceaccount:" + pod.namespace() + ":" + pod.serviceAccount());
        return sign(claims.toString());
    }

    /**
     * The answer to a TokenReview ({@code authentication.k8s.io/v1}) of {@code reef}'s API server.
     *
     * @param podExists whether a pod of this namespace and name with this uid exists now (namespace, name/uid)
     */
    String review(String reef, String requestBody, BiPredicate<String, String> podExists) throws IOException {
        JsonNode request = JSON.readTree(requestBody);
        JsonNode spec = request.path("spec");
        List<String> wanted = new ArrayList<>();
        spec.path("audiences").forEach(a -> wanted.add(a.asText()));
        if (wanted.isEmpty()) {
            wanted.add(API_SERVER_AUDIENCE);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("kind", "TokenReview");
        answer.put("apiVersion", "authentication.k8s.io/v1");
        answer.putObject("metadata").putNull("creationTimestamp");
        answer.set("spec", spec.deepCopy());
        ObjectNode status = answer.putObject("status");
        status.putObject("user");
        String token = spec.path("token").asText("");
        Optional<JsonNode> claims = verifiedClaims(token);
        String refusal = null;
        List<String> shared = new ArrayList<>();
        if (claims.isEmpty()) {
            refusal = "invalid bearer token, square/go-jose: error in cryptographic primitive";
        } else if (!issuer(reef).equals(claims.get().path("iss").asText())) {
            refusal = "invalid bearer token, token issued by another cluster";
        } else if (claims.get().path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
            refusal = "invalid bearer token, service account token has expired";
        } else {
            claims.get().path("aud").forEach(a -> {
                if (wanted.contains(a.asText())) {
                    shared.add(a.asText());
                }
            });
            if (shared.isEmpty()) {
                refusal = "invalid bearer token, token audiences "
                        + claims.get().path("aud") + " is invalid for the target audiences " + wanted;
            }
        }
        JsonNode kubernetes = claims.map(c -> c.path("kubernetes.io")).orElse(null);
        if (refusal == null) {
            String namespace = kubernetes.path("namespace").asText();
            String podName = kubernetes.path("pod").path("name").asText();
            String podUid = kubernetes.path("pod").path("uid").asText();
            if (!podExists.test(namespace, podName + "/" + podUid)) {
                refusal = "invalid bearer token, pod " + podName + " (" + podUid + ") is not found";
            }
        }
        if (refusal != null) {
            status.put("authenticated", false);
            status.put("error", "[" + refusal + "]");
            return answer.toString();
        }
        String namespace = kubernetes.path("namespace").asText();
        status.put("authenticated", true);
        ObjectNode user = status.putObject("user");
        user.put("username", claims.get().path("sub").asText());
        user.put("uid", kubernetes.path("serviceaccount").path("uid").asText());
        ArrayNode groups = user.putArray("groups");
        groups.add("system:serviceaccounts");
        groups.add("system:serviceaccounts:" + namespace);
        groups.add("system:authenticated");
        ObjectNode extra = user.putObject("extra");
        extra.putArray("authentication.kubernetes.io/credential-id")
                .add("JTI=" + claims.get().path("jti").asText());
        extra.putArray("authentication.kubernetes.io/pod-name")
                .add(kubernetes.path("pod").path("name").asText());
        extra.putArray("authentication.kubernetes.io/pod-uid")
                .add(kubernetes.path("pod").path("uid").asText());
        ArrayNode audiences = status.putArray("audiences");
        shared.forEach(audiences::add);
        return answer.toString();
    }

    private String sign(String payload) {
        String input = base64Url(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a service-account token", e);
        }
    }

    /** The claims of a token this sandbox signed (RS256 only); empty for anything else. */
    private Optional<JsonNode> verifiedClaims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(keys.getPublic());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims.isObject() ? Optional.of(claims) : Optional.empty();
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
