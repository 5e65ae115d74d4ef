package io.reefline.cell.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The two calls the cell makes to its own reef's Kubernetes API, over the JDK's HTTP client (the cell carries no
 * Kubernetes client library): a TokenReview ({@code POST /apis/authentication.k8s.io/v1/tokenreviews}) and reading one
 * pod ({@code GET /api/v1/namespaces/<ns>/pods/<name>}). It authenticates with its own service-account token, read
 * from a file and read again whenever the file changes (kubelet rotates it), and trusts the cluster's CA for https.
 */
final class ReefApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Path tokenFile;
    private final Path caFile;
    private final Duration timeout;
    private HttpClient client;
    private FileTime tokenModified;
    private String token;

    ReefApi(URI base, Path tokenFile, Path caFile, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.tokenFile = tokenFile;
        this.caFile = caFile;
        this.timeout = timeout;
    }

    /** The API of the cluster this process runs in, from the variables Kubernetes sets in every container. */
    static Optional<URI> inCluster() {
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        String port = System.getenv("KUBERNETES_SERVICE_PORT");
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return Optional.of(URI.create("https://" + authority + ":" + (port == null || port.isBlank() ? "443" : port)));
    }

    URI base() {
        return base;
    }

    /** The {@code status} of the API's TokenReview of {@code token} for {@code audience}. */
    JsonNode tokenReview(String token, String audience) throws IOException {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "authentication.k8s.io/v1");
        review.put("kind", "TokenReview");
        ObjectNode spec = review.putObject("spec");
        spec.put("token", token);
        spec.putArray("audiences").add(audience);
        HttpResponse<String> answer = send(request("/apis/authentication.k8s.io/v1/tokenreviews")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review.toString())));
        if (answer.statusCode() != 200 && answer.statusCode() != 201) {
            throw new IOException("TokenReview answered HTTP " + answer.statusCode() + ": " + shortly(answer.body()));
        }
        return JSON.readTree(answer.body()).path("status");
    }

    /** The pod, or empty when it does not exist (any more). */
    Optional<JsonNode> pod(String namespace, String name) throws IOException {
        HttpResponse<String> answer = send(request("/api/v1/namespaces/" + encode(namespace) + "/pods/" + encode(name))
                .GET());
        if (answer.statusCode() == 404) {
            return Optional.empty();
        }
        if (answer.statusCode() != 200) {
            throw new IOException("Reading pod " + namespace + "/" + name + " answered HTTP " + answer.statusCode()
                    + ": " + shortly(answer.body()));
        }
        return Optional.of(JSON.readTree(answer.body()));
    }

    private HttpRequest.Builder request(String path) throws IOException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", "application/json");
        currentToken().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The cell's own token, read again when the file changed since the last read. */
    private synchronized Optional<String> currentToken() throws IOException {
        if (!Files.isReadable(tokenFile)) {
            return Optional.empty();
        }
        FileTime modified = Files.getLastModifiedTime(tokenFile);
        if (token == null || !modified.equals(tokenModified)) {
            token = Files.readString(tokenFile).strip();
            tokenModified = modified;
        }
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private synchronized HttpClient client() throws IOException {
        if (client == null) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER);
            if ("https".equals(base.getScheme()) && Files.isReadable(caFile)) {
                builder.sslContext(trusting(caFile));
            }
            client = builder.build();
        }
        return client;
    }

    private static SSLContext trusting(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("The cluster CA in " + caFile + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    private static String shortly(String body) {
        return body == null ? "" : body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
