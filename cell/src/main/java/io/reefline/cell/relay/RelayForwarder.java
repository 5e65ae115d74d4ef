package io.reefline.cell.relay;

import io.reefline.cell.HubCredentials;
import io.reefline.cell.HubHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one destination's spool to the hub, oldest first, on a thread of its own: a message leaves the spool only
 * when the hub acknowledged it, so a crash between the send and the delete sends it again, and the hub's idempotency
 * (the {@code Idempotency-Key} of a forwarded cord, the event id of a report) makes the resend harmless.
 *
 * <p>Answers: 2xx and 409 (the hub already has it) acknowledge. No answer, 5xx, 401, 403, 404, 405, 408 and 429 are
 * the hub not taking it <em>now</em> (down, starting, a token or a deployment to fix, an older hub without the
 * endpoint): the same message is sent again after a backoff that doubles up to the maximum, and nothing behind it
 * overtakes it. Any other 4xx is the hub refusing this message for good: it moves to {@code rejected/} with the
 * answer (a signal sample is dropped instead: {@link Destination#keepsRefused()}), logged once, and the next one goes.
 */
final class RelayForwarder implements Runnable {

    private static final Logger LOG = Logger.getLogger(RelayForwarder.class.getName());
    private static final int MAX_ANSWER_KEPT = 4000;

    /** What the last attempt to reach the hub did. */
    record Failure(Instant at, String error) {}

    private final Destination destination;
    private final RelaySpool spool;
    private final URI hub;
    private final HubCredentials credentials;
    private final RelayConfig config;
    private final Clock clock;

    private volatile Instant lastDelivery;
    private volatile Failure lastFailure;
    private volatile long dropped;
    private volatile boolean running = true;
    private Thread thread;

    RelayForwarder(
            Destination destination,
            RelaySpool spool,
            URI hub,
            HubCredentials credentials,
            RelayConfig config,
            Clock clock) {
        this.destination = destination;
        this.spool = spool;
        this.hub = URI.create(hub.toString().replaceAll("/+$", ""));
        this.credentials = credentials;
        this.config = config;
        this.clock = clock;
    }

    synchronized void start() {
        thread = new Thread(this, "relay-" + destination.code());
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(config.timeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Optional<Instant> lastDelivery() {
        return Optional.ofNullable(lastDelivery);
    }

    /** Messages the hub refused for good and this destination does not keep ({@link Destination#keepsRefused()}). */
    long dropped() {
        return dropped;
    }

    Optional<Failure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    @Override
    public void run() {
        Duration backoff = config.initialBackoff();
        boolean failing = false;
        while (running) {
            try {
                Optional<RelaySpool.Queued> next = spool.oldest(destination);
                if (next.isEmpty()) {
                    spool.awaitMessage(destination, Duration.ofSeconds(1));
                    continue;
                }
                Outcome outcome = deliver(next.get());
                if (outcome == Outcome.RETRY) {
                    if (!failing) {
                        LOG.warning("The hub's " + destination.code() + " does not take messages now ("
                                + lastFailure.error() + "); messages waiting in the spool: " + spool.queued(destination)
                                + ", sent again with a backoff of up to " + config.maxBackoff());
                    }
                    failing = true;
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2);
                    if (backoff.compareTo(config.maxBackoff()) > 0) {
                        backoff = config.maxBackoff();
                    }
                } else {
                    if (failing) {
                        LOG.info("The hub's " + destination.code() + " takes messages again");
                    }
                    failing = false;
                    backoff = config.initialBackoff();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                // The spool itself failed (a full or read-only disk): keep trying, slowly, and say so.
                lastFailure = new Failure(clock.instant(), "spool: " + e);
                LOG.log(Level.SEVERE, "The relay's spool failed for " + destination.code(), e);
                try {
                    Thread.sleep(config.maxBackoff().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private enum Outcome {
        DELIVERED,
        REJECTED,
        RETRY
    }

    private Outcome deliver(RelaySpool.Queued queued) throws IOException, InterruptedException {
        RelayMessage message = queued.message();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub + message.path()))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(message.body()));
        credentials.authorization().ifPresent(value -> request.header("Authorization", value));
        if (message.hubKey() != null) {
            request.header("Idempotency-Key", message.hubKey());
        }
        HttpResponse<String> answer;
        try {
            answer = HubHttp.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            lastFailure = new Failure(clock.instant(), "no answer from " + hub + ": " + e);
            return Outcome.RETRY;
        }
        int status = answer.statusCode();
        if ((status >= 200 && status < 300) || status == 409) {
            spool.acknowledge(queued);
            lastDelivery = clock.instant();
            return Outcome.DELIVERED;
        }
        if (retryable(status)) {
            lastFailure = new Failure(clock.instant(), "HTTP " + status + " from " + hub + message.path());
            return Outcome.RETRY;
        }
        String body = answer.body() == null ? "" : answer.body();
        if (body.length() > MAX_ANSWER_KEPT) {
            body = body.substring(0, MAX_ANSWER_KEPT);
        }
        if (!destination.keepsRefused()) {
            spool.drop(queued);
            dropped++;
            lastFailure =
                    new Failure(clock.instant(), "HTTP " + status + " from " + hub + message.path() + " (dropped)");
            LOG.warning("The hub refused " + message.summary() + " (relay id " + message.id() + ") with HTTP " + status
                    + ": " + body + "; dropped, not sent again");
            return Outcome.REJECTED;
        }
        spool.reject(queued, status, body, clock.instant());
        lastFailure = new Failure(clock.instant(), "HTTP " + status + " from " + hub + message.path() + " (rejected)");
        LOG.warning("The hub refused " + message.summary() + " (relay id " + message.id() + ") with HTTP " + status
                + ": " + body + "; kept in " + spool.root().resolve(RelaySpool.REJECTED) + ", not sent again");
        return Outcome.REJECTED;
    }

    /** Answers that say "not now" rather than "never": the same message is sent again. */
    static boolean retryable(int status) {
        return status >= 500
                || status == 401
                || status == 403
                || status == 404
                || status == 405
                || status == 408
                || status == 429;
    }
}
