package io.reefline.sidecar;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Reports on their way to Reefline, kept in memory and retried with exponential backoff while the receiver is down.
 * Bounded: when full, the oldest report is dropped (and logged) so a long control-plane outage cannot exhaust the
 * sidecar's small heap. Downtime events carry an event id, so a retry of one that did arrive is absorbed.
 */
final class PendingReports {

    /** One POST still owed. */
    private static final class Report {
        final String what;
        final URI target;
        final String body;
        final String idempotencyKey;
        int attempts;
        Instant nextAttempt;

        Report(String what, URI target, String body, String idempotencyKey, Instant due) {
            this.what = what;
            this.target = target;
            this.body = body;
            this.idempotencyKey = idempotencyKey;
            this.nextAttempt = due;
        }
    }

    private final Deque<Report> queue = new ArrayDeque<>();
    private final ControlPlane http;
    private final int capacity;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    PendingReports(ControlPlane http, int capacity, Duration initialBackoff, Duration maxBackoff) {
        this.http = http;
        this.capacity = capacity;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    void add(String what, URI target, String body, Instant now) {
        add(what, target, body, null, now);
    }

    /**
     * Queues a POST that carries an {@code Idempotency-Key}, so a resend (after an answer that was lost) is recognised
     * by the receiver as the same report.
     */
    void add(String what, URI target, String body, String idempotencyKey, Instant now) {
        if (queue.size() >= capacity) {
            Report dropped = queue.removeFirst();
            Log.warn("Report queue full (" + capacity + "); dropped " + dropped.what);
        }
        queue.addLast(new Report(what, target, body, idempotencyKey, now));
    }

    /** Sends every report that is due; keeps what failed for later. */
    void sendDue(Instant now) {
        Iterator<Report> it = queue.iterator();
        while (it.hasNext()) {
            Report report = it.next();
            if (report.nextAttempt.isAfter(now)) {
                continue;
            }
            ControlPlane.Answer answer = http.post(report.target, report.body, report.idempotencyKey);
            report.attempts++;
            // 409: an idempotent receiver already has this event.
            if (answer.ok() || answer.status() == 409) {
                Log.info("Sent " + report.what + " (HTTP " + answer.status() + ")");
                it.remove();
            } else if (answer.status() / 100 == 4 && answer.status() != 408 && answer.status() != 429) {
                // The receiver refuses the report itself; sending it again cannot help.
                Log.warn("Dropped " + report.what + ": HTTP " + answer.status() + " " + answer.body());
                it.remove();
            } else {
                Duration wait = backoff(report.attempts);
                report.nextAttempt = now.plus(wait);
                Log.warn("Could not send " + report.what + " (" + answer.summary() + "), attempt " + report.attempts
                        + "; next try in " + wait.toSeconds() + " s");
            }
        }
    }

    int size() {
        return queue.size();
    }

    private Duration backoff(int attempts) {
        Duration next = initialBackoff;
        for (int i = 1; i < attempts && next.compareTo(maxBackoff) < 0; i++) {
            next = next.multipliedBy(2);
        }
        return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
    }
}
