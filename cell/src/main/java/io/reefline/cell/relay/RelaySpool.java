package io.reefline.cell.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay's durable queue: one file per message, in a folder per destination ({@code <root>/andon/},
 * {@code <root>/metrics/}, {@code <root>/rollout/}), named by a sequence number so a destination's messages go out in the order they came in.
 *
 * <p>A message is written to a temporary file, forced to disk, renamed atomically into place and the folder forced
 * too, before {@link #offer} returns: once a sender has its answer the message survives a crash or power loss. It is
 * deleted only when the hub acknowledged it ({@link #acknowledge}). A message the hub refuses for good moves to
 * {@code <root>/rejected/} with the hub's answer ({@link #reject}). A restart reads the folders back: what is left is
 * sent again, in order. Temporary files of a write that crashed half-way are removed; a file that cannot be read is
 * moved to {@code rejected/} and logged, never silently dropped.
 *
 * <p>Thread-safe; the lock is held while a message is written, so writes to one spool happen one after another.
 */
public final class RelaySpool {

    /** A message in the spool with its place in the order. */
    public record Queued(long sequence, RelayMessage message) {}

    /** The answer of {@link #offer}: the message now queued, and whether an earlier one with its id was kept. */
    public record Offered(RelayMessage message, boolean duplicate) {}

    /** The spool holds its capacity; the sender should come back later. */
    public static final class SpoolFullException extends IOException {
        SpoolFullException(int capacity) {
            super("The relay's spool is full: " + capacity + " messages wait for the hub");
        }

        SpoolFullException(Destination destination, int limit) {
            super("The relay's spool holds its limit of " + limit + " messages for the hub's " + destination.code());
        }
    }

    private static final Logger LOG = Logger.getLogger(RelaySpool.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MESSAGE_FILE = Pattern.compile("(\\d{19})\\.json");
    private static final Pattern REJECTED_FILE = Pattern.compile("[a-z]+-(\\d{19})\\.json");
    private static final String TEMP_SUFFIX = ".tmp";
    static final String REJECTED = "rejected";

    private record Entry(String id, Instant acceptedAt) {}

    private final Path root;
    private final int capacity;
    private final Map<Destination, Integer> limits;
    private final Map<Destination, TreeMap<Long, Entry>> queues = new EnumMap<>(Destination.class);
    private final Map<String, Long> sequenceOfId = new HashMap<>();
    private long nextSequence = 1;
    private int rejected;

    /** Opens the spool in {@code root}, creating its folders, and reads back what a previous run left. */
    public RelaySpool(Path root, int capacity) throws IOException {
        this(root, capacity, Map.of());
    }

    /**
     * Opens the spool with a limit for some destinations within the capacity, so that one kind of message (signal
     * samples) cannot take the room another (cords) needs.
     */
    public RelaySpool(Path root, int capacity, Map<Destination, Integer> limits) throws IOException {
        if (capacity < 1 || limits.values().stream().anyMatch(limit -> limit < 1)) {
            throw new IllegalArgumentException("capacity and limits must be at least 1");
        }
        this.root = root;
        this.capacity = capacity;
        this.limits = Map.copyOf(limits);
        Files.createDirectories(root.resolve(REJECTED));
        for (Destination destination : Destination.values()) {
            queues.put(destination, new TreeMap<>());
            Files.createDirectories(folder(destination));
        }
        recover();
    }

    /** The spool's folder. */
    public Path root() {
        return root;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Stores {@code message} durably, after every message of its destination already queued. A message whose id is
     * already queued is not stored again: the queued one is answered ({@code duplicate}).
     *
     * @throws SpoolFullException when {@link #capacity()} messages are queued, or the destination's limit
     */
    public synchronized Offered offer(RelayMessage message) throws IOException {
        Long known = sequenceOfId.get(message.id());
        if (known != null) {
            for (Destination destination : Destination.values()) {
                if (queues.get(destination).containsKey(known)) {
                    return new Offered(read(destination, known), true);
                }
            }
        }
        if (size() >= capacity) {
            throw new SpoolFullException(capacity);
        }
        Integer limit = limits.get(message.destination());
        if (limit != null && queued(message.destination()) >= limit) {
            throw new SpoolFullException(message.destination(), limit);
        }
        long sequence = nextSequence++;
        Path file = folder(message.destination()).resolve(fileName(sequence));
        writeAtomically(file, JSON.writeValueAsBytes(toJson(message)));
        queues.get(message.destination()).put(sequence, new Entry(message.id(), message.acceptedAt()));
        sequenceOfId.put(message.id(), sequence);
        notifyAll();
        return new Offered(message, false);
    }

    /** The oldest message queued for {@code destination}, read from its file. */
    public synchronized Optional<Queued> oldest(Destination destination) throws IOException {
        while (true) {
            Map.Entry<Long, Entry> first = queues.get(destination).firstEntry();
            if (first == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Queued(first.getKey(), read(destination, first.getKey())));
            } catch (IOException | RuntimeException unreadable) {
                // The file went bad on disk after it was written: keep it for a person, move on to the next one.
                Path file = folder(destination).resolve(fileName(first.getKey()));
                quarantine(file, destination, unreadable);
                forget(destination, first.getKey());
            }
        }
    }

    /** Waits up to {@code timeout} until a message for {@code destination} is queued; answers whether one is. */
    public synchronized boolean awaitMessage(Destination destination, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queues.get(destination).isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The hub has {@code queued}: delete it. */
    public synchronized void acknowledge(Queued queued) throws IOException {
        Destination destination = queued.message().destination();
        Files.deleteIfExists(folder(destination).resolve(fileName(queued.sequence())));
        forceFolder(folder(destination));
        forget(destination, queued.sequence());
    }

    /** The hub refused {@code queued} for good and its destination keeps no such messages: delete it. */
    public synchronized void drop(Queued queued) throws IOException {
        acknowledge(queued);
    }

    /**
     * The hub refused {@code queued} for good: keep it, with the hub's answer, in {@code rejected/} for a person to
     * look at, and take it out of the queue.
     */
    public synchronized void reject(Queued queued, int hubStatus, String hubAnswer, Instant at) throws IOException {
        Destination destination = queued.message().destination();
        ObjectNode record = toJson(queued.message());
        record.put("rejectedAt", at.toString());
        record.put("hubStatus", hubStatus);
        record.put("hubAnswer", hubAnswer);
        writeAtomically(
                root.resolve(REJECTED).resolve(destination.code() + "-" + fileName(queued.sequence())),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        Files.deleteIfExists(folder(destination).resolve(fileName(queued.sequence())));
        forceFolder(folder(destination));
        forget(destination, queued.sequence());
        rejected++;
    }

    /** Messages queued for {@code destination}. */
    public synchronized int queued(Destination destination) {
        return queues.get(destination).size();
    }

    /** Messages queued for every destination. */
    public synchronized int size() {
        return queues.values().stream().mapToInt(Map::size).sum();
    }

    /** When the oldest message still queued for {@code destination} was accepted. */
    public synchronized Optional<Instant> oldestAcceptedAt(Destination destination) {
        Map.Entry<Long, Entry> first = queues.get(destination).firstEntry();
        return first == null ? Optional.empty() : Optional.of(first.getValue().acceptedAt());
    }

    /** Messages in {@code rejected/}, from this run and earlier ones. */
    public synchronized int rejected() {
        return rejected;
    }

    /** Whether the spool can take a message now: its folders exist and are writable. */
    public boolean writable() {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            return false;
        }
        for (Destination destination : Destination.values()) {
            if (!Files.isDirectory(folder(destination)) || !Files.isWritable(folder(destination))) {
                return false;
            }
        }
        return true;
    }

    // --- files -----------------------------------------------------------------------------------------------------

    private void recover() throws IOException {
        long highest = 0;
        // Counted first: a file quarantined below adds itself.
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(root.resolve(REJECTED))) {
            for (Path file : listing) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else {
                    rejected++;
                    Matcher matcher = REJECTED_FILE.matcher(name);
                    if (matcher.matches()) {
                        highest = Math.max(highest, Long.parseLong(matcher.group(1)));
                    }
                }
            }
        }
        for (Destination destination : Destination.values()) {
            Path folder = folder(destination);
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(folder)) {
                listing.forEach(files::add);
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    // A write that crashed before its rename: its sender never got an answer and will send again.
                    Files.deleteIfExists(file);
                    continue;
                }
                Matcher matcher = MESSAGE_FILE.matcher(name);
                if (!matcher.matches()) {
                    continue;
                }
                long sequence = Long.parseLong(matcher.group(1));
                highest = Math.max(highest, sequence);
                try {
                    RelayMessage message = fromJson(JSON.readTree(Files.readAllBytes(file)));
                    queues.get(destination).put(sequence, new Entry(message.id(), message.acceptedAt()));
                    sequenceOfId.put(message.id(), sequence);
                } catch (IOException | RuntimeException unreadable) {
                    quarantine(file, destination, unreadable);
                }
            }
        }
        nextSequence = highest + 1;
        if (size() > 0) {
            LOG.info("The relay's spool holds " + size() + " messages from before the restart; they go out first");
        }
    }

    private void quarantine(Path file, Destination destination, Exception why) throws IOException {
        Path to = root.resolve(REJECTED).resolve(destination.code() + "-unreadable-" + file.getFileName());
        Files.move(file, to, StandardCopyOption.REPLACE_EXISTING);
        rejected++;
        LOG.log(Level.WARNING, "Moved unreadable spool file " + file + " to " + to + ": " + why);
    }

    private RelayMessage read(Destination destination, long sequence) throws IOException {
        return fromJson(JSON.readTree(Files.readAllBytes(folder(destination).resolve(fileName(sequence)))));
    }

    private void forget(Destination destination, long sequence) {
        Entry entry = queues.get(destination).remove(sequence);
        if (entry != null) {
            sequenceOfId.remove(entry.id(), sequence);
        }
    }

    private Path folder(Destination destination) {
        return root.resolve(destination.code());
    }

    private static String fileName(long sequence) {
        return String.format("%019d.json", sequence);
    }

    /** Temporary file in the same folder, forced to disk, renamed over the target, folder forced. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("The spool's file system cannot rename atomically: " + target.getParent(), e);
        }
        forceFolder(target.getParent());
    }

    /** Makes a rename or delete in {@code folder} durable (Linux; elsewhere best effort). */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a folder; the rename itself is still atomic there.
        }
    }

    private static ObjectNode toJson(RelayMessage message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", message.id());
        node.put("destination", message.destination().code());
        node.put("path", message.path());
        if (message.hubKey() != null) {
            node.put("hubKey", message.hubKey());
        }
        node.put("acceptedAt", message.acceptedAt().toString());
        if (message.summary() != null) {
            node.put("summary", message.summary());
        }
        node.put("body", message.body());
        return node;
    }

    private static RelayMessage fromJson(JsonNode node) {
        Destination destination = null;
        for (Destination candidate : Destination.values()) {
            if (candidate.code().equals(node.path("destination").asText())) {
                destination = candidate;
            }
        }
        return new RelayMessage(
                text(node, "id"),
                destination,
                text(node, "path"),
                node.hasNonNull("hubKey") ? node.get("hubKey").asText() : null,
                Instant.parse(text(node, "acceptedAt")),
                node.hasNonNull("summary") ? node.get("summary").asText() : null,
                text(node, "body"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("spool file has no " + field);
        }
        return value.asText();
    }
}
