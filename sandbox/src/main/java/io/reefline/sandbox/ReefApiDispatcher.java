package io.reefline.sandbox;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API of one fake reef: fabric8's CRUD mock, plus the discovery documents that {@code kubectl} reads before it
 * will touch a resource type (the mock serves none), so that {@code kubectl --context reef-eu-1 get deployments}
 * works against the sandbox.
 *
 * <p>Every other request goes to a {@link KubernetesMixedDispatcher} rather than a bare CRUD dispatcher, so that the
 * mock server's own expectations (its root paths at {@code /}) keep working, as they do under
 * {@code @WithKubernetesTestServer}.
 *
 * <p>It also answers TokenReviews ({@code POST /apis/authentication.k8s.io/v1/tokenreviews}), which the CRUD mock
 * would only store: the reef's {@link TokenReviewer} checks the token as an API server does.
 */
final class ReefApiDispatcher extends Dispatcher {

    private static final List<String> READ_WRITE =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");

    private static final Map<String, String> DISCOVERY = Map.of(
            // kubectl insists on a parseable server version; the mock's own is 0.0 without a git version.
            "/version",
            Serialization.asJson(Map.of(
                    "major", "1",
                    "minor", "33",
                    "gitVersion", "v1.33.0-reefline-sandbox",
                    "platform", "linux/amd64")),
            "/api",
            Serialization.asJson(new APIVersionsBuilder()
                    .withKind("APIVersions")
                    .withVersions("v1")
                    .build()),
            "/api/v1",
            Serialization.asJson(new APIResourceListBuilder()
                    .withKind("APIResourceList")
                    .withApiVersion("v1")
                    .withGroupVersion("v1")
                    .withResources(
                            resource("namespaces", "namespace", "Namespace", false, READ_WRITE, "ns"),
                            resource("pods", "pod", "Pod", true, READ_WRITE, "po"))
                    .build()),
            "/apis",
            Serialization.asJson(new APIGroupListBuilder()
                    .withKind("APIGroupList")
                    .withApiVersion("v1")
                    .withGroups(new APIGroupBuilder()
                            .withName("apps")
                            .withVersions(new GroupVersionForDiscoveryBuilder()
                                    .withGroupVersion("apps/v1")
                                    .withVersion("v1")
                                    .build())
                            .withNewPreferredVersion()
                            .withGroupVersion("apps/v1")
                            .withVersion("v1")
                            .endPreferredVersion()
                            .build())
                    .addNewGroup()
                    .withName("authentication.k8s.io")
                    .addNewVersion()
                    .withGroupVersion("authentication.k8s.io/v1")
                    .withVersion("v1")
                    .endVersion()
                    .withNewPreferredVersion()
                    .withGroupVersion("authentication.k8s.io/v1")
                    .withVersion("v1")
                    .endPreferredVersion()
                    .endGroup()
                    .build()),
            "/apis/authentication.k8s.io/v1",
            Serialization.asJson(new APIResourceListBuilder()
                    .withKind("APIResourceList")
                    .withApiVersion("v1")
                    .withGroupVersion("authentication.k8s.io/v1")
                    .withResources(resource("tokenreviews", "tokenreview", "TokenReview", false, List.of("create")))
                    .build()),
            "/apis/apps/v1",
            Serialization.asJson(new APIResourceListBuilder()
                    .withKind("APIResourceList")
                    .withApiVersion("v1")
                    .withGroupVersion("apps/v1")
                    .withResources(
                            resource("deployments", "deployment", "Deployment", true, READ_WRITE, "deploy"),
                            resource("deployments/status", "", "Deployment", true, List.of("get", "patch", "update")),
                            resource("deployments/scale", "", "Scale", true, List.of("get", "patch", "update")))
                    .build()));

    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";

    /** Answers a TokenReview request body with the TokenReview to send back. */
    interface TokenReviewer {
        String review(String body) throws IOException;
    }

    private final KubernetesMixedDispatcher api;
    private final AtomicInteger tokenReviews = new AtomicInteger();
    private volatile TokenReviewer reviewer;

    ReefApiDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
        this.api = new KubernetesMixedDispatcher(expectations);
    }

    /** Who answers this reef's TokenReviews; until set, every review is refused (403). */
    void tokenReviewer(TokenReviewer reviewer) {
        this.reviewer = reviewer;
    }

    /** How many TokenReviews this reef's API has answered. */
    int tokenReviews() {
        return tokenReviews.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        // kubectl asks with a query (?timeout=32s), which the mock's exact-path expectations would not match.
        String path = request.getPath().split("\\?", 2)[0];
        String discovery = "GET".equals(request.getMethod()) ? DISCOVERY.get(path) : null;
        if (discovery != null) {
            return new MockResponse()
                    .setResponseCode(200)
                    .addHeader("Content-Type", "application/json")
                    .setBody(discovery);
        }
        if ("POST".equals(request.getMethod()) && TOKEN_REVIEWS.equals(path)) {
            return tokenReview(request);
        }
        MockResponse response = api.dispatch(request);
        // The mock leaves the content type out; kubectl, having offered protobuf, then refuses to read the JSON.
        if (response.getWebSocketListener() == null && response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    private MockResponse tokenReview(RecordedRequest request) {
        tokenReviews.incrementAndGet();
        TokenReviewer answering = reviewer;
        if (answering == null) {
            return status(403, "Forbidden", "tokenreviews are not served by this reef yet");
        }
        try {
            return new MockResponse()
                    .setResponseCode(201)
                    .addHeader("Content-Type", "application/json")
                    .setBody(answering.review(request.getBody().readUtf8()));
        } catch (IOException | RuntimeException e) {
            return status(400, "BadRequest", "the TokenReview cannot be read: " + e.getMessage());
        }
    }

    /** A {@code Status} answer, as the API server sends for a refused request. */
    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse()
                .setResponseCode(code)
                .addHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(Map.of(
                        "kind",
                        "Status",
                        "apiVersion",
                        "v1",
                        "status",
                        "Failure",
                        "message",
                        message,
                        "reason",
                        reason,
                        "code",
                        code)));
    }

    private static APIResource resource(
            String name, String singular, String kind, boolean namespaced, List<String> verbs, String... shortNames) {
        return new APIResourceBuilder()
                .withName(name)
                .withSingularName(singular)
                .withKind(kind)
                .withNamespaced(namespaced)
                .withVerbs(verbs)
                .withShortNames(shortNames)
                .build();
    }
}
