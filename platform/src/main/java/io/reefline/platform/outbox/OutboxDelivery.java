package io.reefline.platform.outbox;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.reefline.platform.config.ReeflineConfig;
import io.reefline.platform.security.ServiceCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One delivery attempt of an outbox message over the receiver's REST API. */
@ApplicationScoped
public class OutboxDelivery {

    /** The outcome of one attempt. */
    public record Result(boolean acknowledged, String error) {
        static Result ok() {
            return new Result(true, null);
        }

        static Result failed(String error) {
            return new Result(false, error);
        }
    }

    private final ReeflineConfig config;
    private final ServiceCredentials credentials;
    private final Map<URI, EventReceiverApi> clients = new ConcurrentHashMap<>();

    OutboxDelivery(ReeflineConfig config, ServiceCredentials credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    public Result deliver(OutboxMessage message) {
        String base = config.services().get(message.destination);
        if (base == null || base.isBlank()) {
            return Result.failed("No URL configured for service '" + message.destination + "' (reefline.services."
                    + message.destination + ")");
        }
        URI target = URI.create(base.replaceAll("/+$", "") + message.path);
        try (Response response =
                client(target).post(credentials.authorization().orElse(null), message.id.toString(), message.payload)) {
            int status = response.getStatus();
            // 2xx acknowledges; a 409 from an idempotent receiver means it already has this event.
            if (status / 100 == 2 || status == 409) {
                return Result.ok();
            }
            return Result.failed("HTTP " + status + " from " + target);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 409) {
                return Result.ok();
            }
            return Result.failed("HTTP " + status + " from " + target);
        } catch (ProcessingException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Result.failed(cause.getClass().getSimpleName() + " calling " + target + ": " + cause.getMessage());
        }
    }

    private EventReceiverApi client(URI target) {
        long timeout = config.outbox().deliveryTimeout().toMillis();
        return clients.computeIfAbsent(
                target,
                uri -> QuarkusRestClientBuilder.newBuilder()
                        .baseUri(uri)
                        .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                        .readTimeout(timeout, TimeUnit.MILLISECONDS)
                        .build(EventReceiverApi.class));
    }
}
