package io.reefline.cell.relay;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.reefline.cell.CellConfig;
import io.reefline.cell.HubCredentials;
import io.reefline.cell.HubHttp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tells the hub's andon-service, every {@code reefline.cell.relay.heartbeat-interval}, that this replica of the reef's
 * cell is there and how many cords its spool still holds for the hub: {@code PUT /api/cells/<reef>} with {@code
 * {"replica":...,"queuedCords":...,"oldestQueuedAt":...,"sentAt":...}} and the cell's token (role cell). The hub's gate
 * holds this reef while the heartbeats stop (a link from the reef to the hub is down, even if the hub still reaches the
 * reef's Kubernetes API) or report cords waiting, so a cord pulled here always stops the line here. Without a spool
 * (it could not be opened) no heartbeat is sent: the cell cannot take cords, and its silence holds the reef.
 *
 * <p>A failed heartbeat is logged once per outage; cords themselves are retried by the relay's forwarder.
 */
@ApplicationScoped
public class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    private final Relay relay;
    private final RelayConfig config;
    private final HubCredentials credentials;
    private final String replica;
    private final URI target;
    private ScheduledExecutorService timer;
    private boolean failing;

    Heartbeat(
            Relay relay,
            RelayConfig config,
            CellConfig cell,
            HubCredentials credentials,
            @ConfigProperty(name = "reefline.services.andon") URI andon) {
        this.relay = relay;
        this.config = config;
        this.credentials = credentials;
        this.replica = cell.replica();
        this.target = URI.create(andon.toString().replaceAll("/+$", "") + "/api/cells/" + relay.reef());
    }

    synchronized void start(@Observes StartupEvent started) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "relay-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
        LOG.info("Heartbeat of reef " + relay.reef() + " (replica " + replica + ") to " + target + " every "
                + config.heartbeatInterval());
    }

    synchronized void stop(@Observes ShutdownEvent stopping) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** The heartbeat's body now, or empty when the cell has no spool (and so cannot take cords). */
    Optional<String> body() {
        return relay.spool()
                .map(spool -> "{\"replica\":" + RelayRoutes.quote(replica) + ",\"queuedCords\":"
                        + spool.queued(Destination.ANDON) + ",\"oldestQueuedAt\":"
                        + spool.oldestAcceptedAt(Destination.ANDON)
                                .map(at -> "\"" + at + "\"")
                                .orElse("null")
                        + ",\"sentAt\":\"" + relay.now() + "\"}");
    }

    private void beat() {
        String failure;
        try {
            Optional<String> body = body();
            if (body.isEmpty()) {
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body.get()));
            credentials.authorization().ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> answer = HubHttp.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = answer.statusCode();
            failure = status >= 200 && status < 300 ? null : "HTTP " + status + ": " + answer.body();
        } catch (IOException | RuntimeException e) {
            // Caught, so that the timer keeps beating.
            failure = "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (failure != null && !failing) {
            LOG.warning("The hub's andon-service does not take this cell's heartbeat (" + target + ", " + failure
                    + "); once the hub's andon.cell-silence has passed without one, it holds upgrades in reef "
                    + relay.reef());
        } else if (failure == null && failing) {
            LOG.info("The hub's andon-service takes this cell's heartbeat again");
        }
        failing = failure != null;
    }
}
