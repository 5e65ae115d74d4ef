package io.reefline.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox issues pod-bound service-account tokens and reviews them as a reef's API server does. */
class ServiceAccountTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Sandbox sandbox;
    private static String reef;
    private static String otherReef;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxSpec.defaults()
                .withReefs(2)
                .withInstancesPerReef(2)
                .withKubeletDelay(Duration.ofMillis(100))
                .withMalformedInstance(false));
        reef = sandbox.reefs().get(0).name();
        otherReef = sandbox.reefs().get(1).name();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void shouldAuthenticateAPodsTokenForItsAudienceNamingThePodThatRuns() throws Exception {
        String token = sandbox.serviceAccountToken(reef, "i-us1-002", Sandbox.CELL_AUDIENCE, Duration.ofHours(1));
        int before = sandbox.tokenReviews(reef);

        JsonNode status = review(reef, token, Sandbox.CELL_AUDIENCE);

        assertTrue(status.path("authenticated").asBoolean(), status.toString());
        JsonNode user = status.path("user");
        assertEquals(
                "system:serviceaccount:instances:default", user.path("username").asText());
        String podName = user.path("extra")
                .path("authentication.kubernetes.io/pod-name")
                .get(0)
                .asText();
        assertEquals(sandbox.podName(reef, "i-us1-002"), podName);
        assertEquals(Sandbox.CELL_AUDIENCE, status.path("audiences").get(0).asText());
        Pod pod = sandbox.reef(reef).client().pods().withName(podName).get();
        assertNotNull(pod, "the pod is in the reef's API");
        assertEquals(
                pod.getMetadata().getUid(),
                user.path("extra")
                        .path("authentication.kubernetes.io/pod-uid")
                        .get(0)
                        .asText());
        assertEquals("i-us1-002", pod.getMetadata().getLabels().get(InstanceMetadata.INSTANCE_LABEL));
        assertEquals(before + 1, sandbox.tokenReviews(reef));
    }

    @Test
    void shouldRefuseAnotherAudienceAnExpiredTokenAForgedOneAndAnotherReefs() throws Exception {
        String forOtherAudience = sandbox.serviceAccountToken(reef, "i-us1-002", "vault", Duration.ofHours(1));
        assertFalse(review(reef, forOtherAudience, Sandbox.CELL_AUDIENCE)
                .path("authenticated")
                .asBoolean());
        // A review that names no audience asks for the API server's own, which a cell's token is not for.
        String cellToken = sandbox.serviceAccountToken(reef, "i-us1-002", Sandbox.CELL_AUDIENCE, Duration.ofHours(1));
        assertFalse(review(reef, cellToken, null).path("authenticated").asBoolean());

        String expired = sandbox.serviceAccountToken(reef, "i-us1-002", Sandbox.CELL_AUDIENCE, Duration.ofMinutes(-5));
        JsonNode refused = review(reef, expired, Sandbox.CELL_AUDIENCE);
        assertFalse(refused.path("authenticated").asBoolean());
        assertTrue(refused.path("error").asText().contains("expired"), refused.toString());

        // Someone rewrites their token to claim another pod: the signature no longer fits.
        String other = sandbox.podName(reef, "i-us1-001");
        String[] parts = cellToken.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(sandbox.podName(reef, "i-us1-002"), other);
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        assertFalse(review(reef, forged, Sandbox.CELL_AUDIENCE)
                .path("authenticated")
                .asBoolean());

        assertFalse(review(otherReef, cellToken, Sandbox.CELL_AUDIENCE)
                .path("authenticated")
                .asBoolean());
        assertTrue(review(reef, cellToken, Sandbox.CELL_AUDIENCE)
                .path("authenticated")
                .asBoolean());
    }

    @Test
    void shouldEndAPodsTokensWhenARolloutReplacesItAndRewriteTheTokenFile() throws Exception {
        Path dir = Files.createTempDirectory("sandbox-tokens");
        sandbox.writeServiceAccountTokens(dir, Sandbox.CELL_AUDIENCE);
        Path file = dir.resolve(otherReef).resolve("i-eu1-001").resolve("token");
        String before = Files.readString(file);
        String oldPod = sandbox.podName(otherReef, "i-eu1-001");
        assertTrue(review(otherReef, before, Sandbox.CELL_AUDIENCE)
                .path("authenticated")
                .asBoolean());

        sandbox.reef(otherReef)
                .client()
                .apps()
                .deployments()
                .withName("i-eu1-001")
                .edit(d -> {
                    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("product:2026.11.2");
                    return d;
                });

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !Files.readString(file).equals(before));
        String newPod = sandbox.podName(otherReef, "i-eu1-001");
        assertNotEquals(oldPod, newPod);
        assertNull(sandbox.reef(otherReef).client().pods().withName(oldPod).get(), "the old pod is gone");
        assertEquals(
                "product:2026.11.2",
                sandbox.reef(otherReef)
                        .client()
                        .pods()
                        .withName(newPod)
                        .get()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage());
        assertFalse(review(otherReef, before, Sandbox.CELL_AUDIENCE)
                .path("authenticated")
                .asBoolean());
        assertTrue(review(otherReef, Files.readString(file), Sandbox.CELL_AUDIENCE)
                .path("authenticated")
                .asBoolean());
    }

    private static JsonNode review(String reefName, String token, String audience) throws Exception {
        String audiences = audience == null ? "" : ",\"audiences\":[\"" + audience + "\"]";
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                sandbox.reef(reefName).url() + "/apis/authentication.k8s.io/v1/tokenreviews"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                                        + "\"spec\":{\"token\":\"" + token + "\"" + audiences + "}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).path("status");
    }
}
