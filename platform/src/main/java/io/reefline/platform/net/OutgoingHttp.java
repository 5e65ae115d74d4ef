package io.reefline.platform.net;

import io.quarkus.runtime.Startup;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests to URLs users gave (webhooks, health URLs), and only those: each is checked against {@link Destinations}
 * when it is made, sent to the very address that was checked (the URL's name still goes in {@code Host} and TLS
 * SNI, and the certificate is verified for it), never follows a redirect, and reads at most a given number of bytes
 * of the answer.
 */
// Built at start-up, so a wrong reefline.outgoing.* setting stops the service instead of failing its requests.
@Startup
@ApplicationScoped
public class OutgoingHttp {

    /**
     * An answer.
     *
     * @param status the HTTP status
     * @param body at most the requested number of bytes of the body
     * @param truncated whether the body went on beyond that
     */
    public record Answer(int status, byte[] body, boolean truncated) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Vertx vertx;
    private final Destinations destinations;
    private final HttpClient client;

    @Inject
    OutgoingHttp(Vertx vertx, OutgoingSettings settings) {
        this(vertx, settings.destinations());
    }

    public OutgoingHttp(Vertx vertx, Destinations destinations) {
        this.vertx = vertx;
        this.destinations = destinations;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setForceSni(true)
                .setVerifyHost(true)
                .setMaxRedirects(0)
                .setMaxPoolSize(32));
    }

    /** Why {@code url} would be refused, as far as can be told now (its name may still resolve to a refused address). */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return Optional.of("not a valid URL");
        }
        Optional<String> refused = destinations.refusal(uri);
        if (refused.isPresent()) {
            return refused;
        }
        try {
            destinations.resolve(uri);
        } catch (RefusedDestination e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException notNow) {
            // A name that does not resolve today may tomorrow; it is checked again at every request.
        }
        return Optional.empty();
    }

    /**
     * A GET that waits for its answer; the caller's thread blocks (never call it on an event loop).
     *
     * @throws RefusedDestination when the destination is refused: nothing was sent
     * @throws IOException when the request failed or took longer than {@code timeout}
     */
    public Answer get(String url, Map<String, String> headers, Duration timeout, int maxBodyBytes) throws IOException {
        CompletableFuture<Answer> answer = send(HttpMethod.GET, url, headers, null, timeout, maxBodyBytes);
        try {
            return answer.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RefusedDestination refused) {
                throw refused;
            }
            throw cause instanceof IOException io ? io : new IOException(describe(cause), cause);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new IOException("no answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Sends a request; the future fails with {@link RefusedDestination} when the destination is refused (nothing was
     * sent), or with the network's error. The name is resolved on the caller's thread.
     */
    public CompletableFuture<Answer> send(
            HttpMethod method,
            String url,
            Map<String, String> headers,
            byte[] body,
            Duration timeout,
            int maxBodyBytes) {
        URI uri;
        InetAddress address;
        try {
            uri = URI.create(url.strip());
            address = destinations.resolve(uri);
        } catch (RefusedDestination e) {
            return CompletableFuture.failedFuture(e);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IOException("not a valid URL: " + e.getMessage(), e));
        } catch (UnknownHostException e) {
            return CompletableFuture.failedFuture(new IOException("unknown host " + uri(url), e));
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        long millis = Math.max(1, timeout.toMillis());
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .setHost(Destinations.hostOf(uri))
                .setPort(port)
                .setSsl(tls)
                .setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(millis)
                .setIdleTimeout(millis);
        headers.forEach(options::putHeader);
        Future<Answer> answer = client.request(options).compose(request -> {
            long deadline =
                    vertx.setTimer(millis, t -> request.reset(0, new TimeoutException("no answer within " + timeout)));
            Future<HttpClientResponse> response = body == null ? request.send() : request.send(Buffer.buffer(body));
            return response.compose(r -> read(r, maxBodyBytes)).onComplete(done -> vertx.cancelTimer(deadline));
        });
        return answer.toCompletionStage().toCompletableFuture();
    }

    private static Future<Answer> read(HttpClientResponse response, int maxBodyBytes) {
        Promise<Answer> answer = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (answer.future().isComplete()) {
                return;
            }
            int room = maxBodyBytes - body.length();
            if (chunk.length() > room) {
                body.appendBuffer(chunk, 0, room);
                answer.tryComplete(new Answer(response.statusCode(), body.getBytes(), true));
                // Stop reading: the rest is never buffered.
                response.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(answer::tryFail);
        response.endHandler(done -> answer.tryComplete(new Answer(response.statusCode(), body.getBytes(), false)));
        return answer.future();
    }

    private static String uri(String url) {
        return url.length() > 200 ? url.substring(0, 200) + "..." : url;
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
