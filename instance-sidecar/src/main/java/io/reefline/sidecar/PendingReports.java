package io.reefline.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;

/**
 * Reports on their way to Reefline, retried with exponential backoff while the receiver is down. Bounded: when full,
 * the oldest signal sample is dropped (and logged), or the oldest report when no sample waits, so a long outage of the
 * cell can neither exhaust the sidecar's small heap nor push a cord pull out for a sample. Downtime events carry an
 * event id, cords and samples an {@code Idempotency-Key}, so a retry of one that did arrive is absorbed.
 *
 * <p>With a spool folder ({@code SIDECAR_SPOOL_DIR}) every queued report is also a file there, written to a temporary
 * file, forced to disk and renamed into place before {@link #add} returns, and deleted once the receiver took it: a
 * restarted sidecar (a new container in the same pod, the folder an emptyDir) reads them back and sends them first, in
 * their order. Without one they live in memory only.
 */
final class PendingReports {

    private static final String SUFFIX = ".report";
    private static final String TEMP = ".tmp";
    private static final String FORMAT = "reefline-sidecar-report 1";

    /** One POST still owed. */
    private static final class Report {
        final long sequence;
        final boolean sample;
        final String what;
        final URI target;
        final String body;
        final String idempotencyKey;
        int attempts;
        Instant nextAttempt;

        Report(
                long sequence,
                boolean sample,
                String what,
                URI target,
                String body,
                String idempotencyKey,
                Instant due) {
            this.sequence = sequence;
            this.sample = sample;
            this.what = what;
            this.target = target;
            this.body = body;
            this.idempotencyKey = idempotencyKey;
            this.nextAttempt = due;
        }
    }

    private final LinkedList<Report> queue = new LinkedList<>();
    private final ControlPlane http;
    private final int capacity;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Path spool;
    private long nextSequence = 1;

    PendingReports(ControlPlane http, int capacity, Duration initialBackoff, Duration maxBackoff) {
        this(http, capacity, initialBackoff, maxBackoff, Optional.empty(), Instant.EPOCH);
    }

    /**
     * Opens the queue; with a spool folder, reads back what an earlier run of the sidecar left there (due at once).
     *
     * @throws UncheckedIOException when the spool folder cannot be created or read
     */
    PendingReports(
            ControlPlane http,
            int capacity,
            Duration initialBackoff,
            Duration maxBackoff,
            Optional<Path> spool,
            Instant now) {
        if (capacity < 1) {
            throw new IllegalArgumentException("SIDECAR_MAX_QUEUED_REPORTS must be at least 1");
        }
        this.http = http;
        this.capacity = capacity;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.spool = spool.orElse(null);
        if (this.spool != null) {
            try {
                recover(now);
            } catch (IOException e) {
                throw new UncheckedIOException("SIDECAR_SPOOL_DIR " + this.spool + " cannot be used: " + e, e);
            }
        }
    }

    void add(String what, URI target, String body, Instant now) {
        add(what, target, body, null, now);
    }

    /**
     * Queues a POST that carries an {@code Idempotency-Key}, so a resend (after an answer that was lost) is recognised
     * by the receiver as the same report.
     */
    void add(String what, URI target, String body, String idempotencyKey, Instant now) {
        enqueue(new Report(nextSequence++, false, what, target, body, idempotencyKey, now));
    }

    /** Queues a signal sample: the first to go when the queue is full. */
    void addSample(String what, URI target, String body, String idempotencyKey, Instant now) {
        enqueue(new Report(nextSequence++, true, what, target, body, idempotencyKey, now));
    }

    private void enqueue(Report report) {
        if (queue.size() >= capacity) {
            Report dropped = queue.stream().filter(r -> r.sample).findFirst().orElse(queue.getFirst());
            queue.remove(dropped);
            forget(dropped);
            Log.warn("Report queue full (" + capacity + "); dropped " + dropped.what);
        }
        if (spool != null) {
            try {
                write(report);
            } catch (IOException e) {
                // Still sent from memory; only a restart before then would lose it.
                Log.warn("Cannot spool " + report.what + " to " + spool + ": " + e);
            }
        }
        queue.addLast(report);
    }

    /** Sends every report that is due, oldest first; keeps what failed for later. */
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
                forget(report);
            } else if (answer.status() / 100 == 4 && answer.status() != 408 && answer.status() != 429) {
                // The receiver refuses the report itself; sending it again cannot help.
                Log.warn("Dropped " + report.what + ": HTTP " + answer.status() + " " + answer.body());
                it.remove();
                forget(report);
            } else {
                Duration wait = backoff(report.attempts);
                report.nextAttempt = now.plus(wait);
                Log.warn("Could not send " + report.what + " (" + answer.summary() + "), attempt " + report.attempts
                        + "; next try in " + wait.toSeconds() + " s");
                if (answer.status() == 0) {
                    // Nothing answers: the rest waits for the next pass instead of a timeout each.
                    return;
                }
            }
        }
    }

    int size() {
        return queue.size();
    }

    /** For tests: what is queued, oldest first. */
    List<String> whats() {
        return queue.stream().map(r -> r.what).toList();
    }

    private Duration backoff(int attempts) {
        Duration next = initialBackoff;
        for (int i = 1; i < attempts && next.compareTo(maxBackoff) < 0; i++) {
            next = next.multipliedBy(2);
        }
        return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
    }

    // --- the spool folder ------------------------------------------------------------------------------------------

    private Path file(long sequence) {
        return spool.resolve(String.format("%019d", sequence) + SUFFIX);
    }

    private void write(Report report) throws IOException {
        String content = FORMAT + "\n" + (report.sample ? "sample" : "report") + "\n" + report.target + "\n"
                + (report.idempotencyKey == null ? "" : report.idempotencyKey) + "\n" + oneLine(report.what) + "\n"
                + report.body;
        Path target = file(report.sequence);
        Path temp = target.resolveSibling(target.getFileName() + TEMP);
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void forget(Report report) {
        if (spool == null) {
            return;
        }
        try {
            Files.deleteIfExists(file(report.sequence));
        } catch (IOException e) {
            Log.warn("Cannot delete the spooled " + report.what + " in " + spool + ": " + e);
        }
    }

    private void recover(Instant now) throws IOException {
        Files.createDirectories(spool);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(spool)) {
            for (Path file : listing) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP)) {
                    // A write cut short: its report was never queued.
                    Files.deleteIfExists(file);
                } else if (name.matches("\\d{19}" + java.util.regex.Pattern.quote(SUFFIX))) {
                    files.add(file);
                }
            }
        }
        files.sort(null);
        for (Path file : files) {
            long sequence = Long.parseLong(file.getFileName().toString().substring(0, 19));
            nextSequence = Math.max(nextSequence, sequence + 1);
            Report report = read(sequence, file, now);
            if (report == null) {
                Log.warn("Dropped the unreadable spooled report " + file);
                Files.deleteIfExists(file);
                continue;
            }
            if (queue.size() >= capacity) {
                Report dropped =
                        queue.stream().filter(r -> r.sample).findFirst().orElse(queue.getFirst());
                queue.remove(dropped);
                forget(dropped);
                Log.warn("Report queue full (" + capacity + "); dropped " + dropped.what);
            }
            queue.addLast(report);
        }
        if (!queue.isEmpty()) {
            Log.info("Read " + queue.size() + " reports back from " + spool + "; they go out first");
        }
    }

    private static Report read(long sequence, Path file, Instant now) {
        try {
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).split("\n", 6);
            if (parts.length != 6
                    || !parts[0].equals(FORMAT)
                    || !(parts[1].equals("sample") || parts[1].equals("report"))) {
                return null;
            }
            return new Report(
                    sequence,
                    parts[1].equals("sample"),
                    parts[4],
                    URI.create(parts[2]),
                    parts[5],
                    parts[3].isEmpty() ? null : parts[3],
                    now);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
