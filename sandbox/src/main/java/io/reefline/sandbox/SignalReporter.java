package io.reefline.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reports every instance's signal samples to its reef's cell, as the instance's sidecar would: one {@code POST
 * <cell>/api/signals} per instance per window, with that pod's own service-account token and the idempotency key
 * {@code signal-<instance>-<from epoch seconds>}.
 *
 * <p>A window that cannot be delivered (no answer, a 5xx, 408 or 429) is kept and sent again in the next round, the
 * oldest first, up to {@value #KEPT_WINDOWS} windows per instance (older ones are dropped). While a cell is failing,
 * a round sends one window to find out whether it is back before sending the rest, so a cell that is down costs one
 * request per round, not one per instance. The first failure and the recovery are logged once each. A sample the
 * cell refuses (any other 4xx) is dropped, logged once per status and reason.
 */
final class SignalReporter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SignalReporter.class.getName());

    /** Windows kept per instance while its cell cannot take them: 10 minutes of 15 s windows. */
    static final int KEPT_WINDOWS = 40;

    /** Requests in flight per cell: enough for hundreds of instances a round, few enough for a small cell. */
    static final int SENDERS_PER_CELL = 16;

    /** A round starts this long after its window closed, so the kubelet's last changes in the window are in. */
    static final Duration ROUND_LAG = Duration.ofMillis(250);

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** Where the reporter finds the instances and their pods' tokens. */
    interface Fleet {
        /** The pods every instance of {@code reef} has run. */
        List<InstanceTimeline> timelines(String reef);

        /** The current token of the instance's pod for the cells' audience; empty when the instance is gone. */
        Optional<String> token(String reef, String instanceId);
    }

    /** What one round did, for logs and measurements. */
    record RoundResult(int sampled, int delivered, int kept, int dropped) {}

    private final SignalReporting settings;
    private final TrafficModel model;
    private final Fleet fleet;
    private final Clock clock;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final Map<String, CellDelivery> cells = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastWindowEnd = Long.MIN_VALUE;

    SignalReporter(SignalReporting settings, TrafficModel model, Fleet fleet, Clock clock) {
        this.settings = settings;
        this.model = model;
        this.fleet = fleet;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.httpThreads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-signals-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(httpThreads)
                .build();
        settings.cells().forEach((reef, url) -> cells.put(reef, new CellDelivery(reef, signalsUrl(url))));
    }

    /** Runs a round shortly after the end of every window, on {@code scheduler}. */
    void start(ScheduledExecutorService scheduler) {
        long interval = settings.interval().toMillis();
        long now = clock.millis();
        long firstRound = (Math.floorDiv(now, interval) + 1) * interval + ROUND_LAG.toMillis();
        scheduler.scheduleAtFixedRate(
                () -> {
                    try {
                        long windowEnd = Math.floorDiv(clock.millis() - ROUND_LAG.toMillis(), interval) * interval;
                        round(windowEnd);
                    } catch (RuntimeException e) {
                        if (!closed.get()) {
                            LOG.log(System.Logger.Level.WARNING, "A round of signal reports failed", e);
                        }
                    }
                },
                firstRound - now,
                interval,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Samples the window ending at {@code windowEnd} (epoch millis, a multiple of the interval) for every instance of
     * every reef that has a cell, and sends what is waiting. Completes when every send of the round has an answer. A
     * window already sampled is not sampled again; a cell still busy with its previous round is left to it, its new
     * windows wait for the next round.
     */
    CompletableFuture<RoundResult> round(long windowEnd) {
        boolean newWindow = windowEnd > lastWindowEnd;
        if (newWindow) {
            lastWindowEnd = windowEnd;
        }
        long from = windowEnd - settings.interval().toMillis();
        List<CompletableFuture<RoundResult>> sends = new ArrayList<>();
        int sampled = 0;
        for (CellDelivery cell : cells.values()) {
            if (newWindow) {
                for (InstanceTimeline timeline : fleet.timelines(cell.reef)) {
                    Optional<SignalSample> sample = timeline.sample(model, from, windowEnd);
                    if (sample.isPresent()) {
                        cell.keep(sample.get());
                        sampled++;
                    }
                }
            }
            sends.add(cell.sendWaiting());
        }
        int sampledInRound = sampled;
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(done -> {
            int delivered = 0;
            int kept = 0;
            int dropped = 0;
            for (CompletableFuture<RoundResult> send : sends) {
                RoundResult result = send.join();
                delivered += result.delivered();
                kept += result.kept();
                dropped += result.dropped();
            }
            return new RoundResult(sampledInRound, delivered, kept, dropped);
        });
    }

    /** Windows waiting for delivery to {@code reef}'s cell. */
    int waiting(String reef) {
        CellDelivery cell = cells.get(reef);
        return cell == null ? 0 : cell.waitingCount();
    }

    private static URI signalsUrl(URI cell) {
        String base = cell.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/api/signals");
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            httpThreads.shutdownNow();
        }
    }

    /** How a send ended. */
    private enum Outcome {
        DELIVERED,
        /** Refused for good (4xx): dropped. */
        REFUSED,
        /** Not taken now (no answer, 5xx, 408, 429): kept for the next round. */
        RETRY
    }

    /** The windows waiting for one reef's cell, and the state of delivery to it. */
    private final class CellDelivery {
        final String reef;
        final URI url;
        /** By instance, oldest window first. Guarded by {@code this}. */
        final Map<String, Deque<SignalSample>> waiting = new LinkedHashMap<>();

        final AtomicBoolean sending = new AtomicBoolean();
        final Set<String> reportedRefusals = ConcurrentHashMap.newKeySet();
        volatile boolean failing;
        /** Windows dropped for room since delivery started failing. Guarded by {@code this}. */
        int droppedForRoom;

        CellDelivery(String reef, URI url) {
            this.reef = reef;
            this.url = url;
        }

        synchronized void keep(SignalSample sample) {
            Deque<SignalSample> windows = waiting.computeIfAbsent(sample.instanceId(), id -> new ArrayDeque<>());
            if (windows.size() >= KEPT_WINDOWS) {
                windows.pollFirst();
                droppedForRoom++;
            }
            windows.addLast(sample);
        }

        synchronized int waitingCount() {
            return waiting.values().stream().mapToInt(Deque::size).sum();
        }

        synchronized Optional<SignalSample> oldest(String instanceId) {
            Deque<SignalSample> windows = waiting.get(instanceId);
            return windows == null || windows.isEmpty() ? Optional.empty() : Optional.of(windows.peekFirst());
        }

        synchronized void remove(SignalSample sample) {
            Deque<SignalSample> windows = waiting.get(sample.instanceId());
            if (windows != null && windows.peekFirst() == sample) {
                windows.pollFirst();
                if (windows.isEmpty()) {
                    waiting.remove(sample.instanceId());
                }
            }
        }

        synchronized List<String> instancesWaiting() {
            return new ArrayList<>(waiting.keySet());
        }

        CompletableFuture<RoundResult> sendWaiting() {
            if (!sending.compareAndSet(false, true)) {
                return CompletableFuture.completedFuture(new RoundResult(0, 0, waitingCount(), 0));
            }
            Tally tally = new Tally();
            Queue<String> instances = new ConcurrentLinkedQueue<>(instancesWaiting());
            CompletableFuture<Void> sent;
            if (instances.isEmpty()) {
                sent = CompletableFuture.completedFuture(null);
            } else if (failing) {
                // One window tells whether the cell is back; only then the rest.
                String probe = instances.poll();
                sent = sendInstance(probe, tally)
                        .thenCompose(stillFailing ->
                                stillFailing ? CompletableFuture.completedFuture(null) : sendAll(instances, tally));
            } else {
                sent = sendAll(instances, tally);
            }
            return sent.handle((done, error) -> {
                sending.set(false);
                if (error != null && !closed.get()) {
                    LOG.log(System.Logger.Level.WARNING, "Signals of " + reef + ": a round failed", error);
                }
                return new RoundResult(0, tally.delivered.get(), waitingCount(), tally.dropped.get());
            });
        }

        private CompletableFuture<Void> sendAll(Queue<String> instances, Tally tally) {
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int i = 0; i < SENDERS_PER_CELL; i++) {
                senders.add(nextInstance(instances, tally));
            }
            return CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new));
        }

        /** One sender: an instance at a time, until none is left or the cell stops taking windows. */
        private CompletableFuture<Void> nextInstance(Queue<String> instances, Tally tally) {
            String instance = failing || closed.get() ? null : instances.poll();
            if (instance == null) {
                return CompletableFuture.completedFuture(null);
            }
            return sendInstance(instance, tally).thenCompose(stopped -> nextInstance(instances, tally));
        }

        /** Sends the instance's windows, oldest first; completes with true when the cell did not take one. */
        private CompletableFuture<Boolean> sendInstance(String instanceId, Tally tally) {
            Optional<SignalSample> next = oldest(instanceId);
            if (next.isEmpty() || closed.get()) {
                return CompletableFuture.completedFuture(false);
            }
            SignalSample sample = next.get();
            return send(sample).thenCompose(outcome -> {
                switch (outcome) {
                    case DELIVERED -> tally.delivered.incrementAndGet();
                    case REFUSED -> tally.dropped.incrementAndGet();
                    case RETRY -> {
                        return CompletableFuture.completedFuture(true);
                    }
                }
                remove(sample);
                return sendInstance(instanceId, tally);
            });
        }

        private CompletableFuture<Outcome> send(SignalSample sample) {
            Optional<String> token;
            try {
                token = fleet.token(reef, sample.instanceId());
            } catch (RuntimeException e) {
                token = Optional.empty();
            }
            if (token.isEmpty()) {
                return CompletableFuture.completedFuture(
                        Outcome.REFUSED); // the instance is gone, and so is its sidecar
            }
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + token.get())
                    .header("Idempotency-Key", sample.idempotencyKey())
                    .POST(HttpRequest.BodyPublishers.ofString(sample.toJson()))
                    .build();
            try {
                return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((response, error) -> error != null ? unanswered(error) : answered(response));
            } catch (RejectedExecutionException e) {
                return CompletableFuture.completedFuture(Outcome.RETRY); // closing
            }
        }

        private Outcome answered(HttpResponse<String> response) {
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                recovered();
                return Outcome.DELIVERED;
            }
            if (status >= 500 || status == 408 || status == 429) {
                failed("HTTP " + status);
                return Outcome.RETRY;
            }
            recovered();
            String reason = status + " " + reason(response.body());
            if (reportedRefusals.add(reason)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Signals of {0}: the cell at {1} refused a sample with {2}; such samples are dropped (logged"
                                + " once per reason)",
                        reef,
                        url,
                        reason);
            }
            return Outcome.REFUSED;
        }

        private Outcome unanswered(Throwable error) {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String reason = cause instanceof ConnectException
                    ? "nothing answers"
                    : cause instanceof HttpTimeoutException
                            ? "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s"
                            : cause instanceof IOException
                                    ? cause.getClass().getSimpleName()
                                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                                    : String.valueOf(cause);
            failed(reason);
            return Outcome.RETRY;
        }

        private void failed(String reason) {
            if (!failing && !closed.get()) {
                failing = true;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Signals of {0} cannot be delivered to {1} ({2}): windows are kept, the last {3} per"
                                + " instance, and sent again every {4}",
                        reef,
                        url,
                        reason,
                        KEPT_WINDOWS,
                        settings.interval());
            }
        }

        private void recovered() {
            if (failing) {
                failing = false;
                int dropped;
                synchronized (this) {
                    dropped = droppedForRoom;
                    droppedForRoom = 0;
                }
                LOG.log(
                        System.Logger.Level.INFO,
                        "Signals of {0} are delivered to {1} again{2}",
                        reef,
                        url,
                        dropped == 0 ? "" : " (" + dropped + " windows were dropped for room meanwhile)");
            }
        }

        /** The problem's title (and detail) from a problem+json answer, else the start of the body. */
        private String reason(String body) {
            try {
                JsonNode problem = Serialization.jsonMapper().readTree(body);
                if (problem != null && problem.hasNonNull("title")) {
                    return problem.get("title").asText();
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: the body itself says it
            }
            String text = body == null ? "" : body.strip();
            return text.length() > 120 ? text.substring(0, 120) + "..." : text;
        }
    }

    private static final class Tally {
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
    }
}
