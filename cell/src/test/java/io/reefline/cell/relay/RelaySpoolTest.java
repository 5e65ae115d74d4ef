package io.reefline.cell.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelaySpoolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-12-02T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldKeepOneCompleteFilePerMessageAndNoTemporaryFiles() throws Exception {
        RelaySpool spool = new RelaySpool(dir, 10);
        spool.offer(cord("a"));
        spool.offer(downtime("b"));

        List<Path> andon = files(dir.resolve("andon"));
        assertEquals(1, andon.size(), "one file for the cord: " + andon);
        JsonNode stored = JSON.readTree(andon.get(0).toFile());
        assertEquals("a", stored.get("id").asText());
        assertEquals("reef-b:a", stored.get("hubKey").asText());
        assertEquals("{\"n\":\"a\"}", stored.get("body").asText());
        assertEquals(1, files(dir.resolve("metrics")).size());
        try (Stream<Path> all = Files.walk(dir)) {
            assertTrue(all.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    void shouldResendWhatIsLeftAfterRestartInOrderAndDropHalfWrittenTemporaryFiles() throws Exception {
        RelaySpool first = new RelaySpool(dir, 10);
        for (String id : List.of("1", "2", "3", "4")) {
            first.offer(cord(id));
        }
        first.acknowledge(first.oldest(Destination.ANDON).orElseThrow());
        // A crash in the middle of a write leaves its temporary file behind; its sender never got an answer.
        Files.writeString(dir.resolve("andon").resolve("0000000000000000099.json.tmp"), "{\"id\":");

        RelaySpool restarted = new RelaySpool(dir, 10);
        assertEquals(3, restarted.queued(Destination.ANDON));
        assertEquals(List.of("2", "3", "4"), drain(restarted, Destination.ANDON));
        assertFalse(Files.exists(dir.resolve("andon").resolve("0000000000000000099.json.tmp")));

        // New messages after the restart go after the old ones, never before.
        restarted.offer(cord("5"));
        RelaySpool again = new RelaySpool(dir, 10);
        assertEquals(List.of("5"), drain(again, Destination.ANDON));
    }

    @Test
    void shouldKeepOrderPerDestinationIndependently() throws Exception {
        RelaySpool spool = new RelaySpool(dir, 10);
        spool.offer(cord("c1"));
        spool.offer(downtime("d1"));
        spool.offer(cord("c2"));
        spool.offer(downtime("d2"));

        assertEquals(List.of("d1", "d2"), drain(spool, Destination.METRICS));
        assertEquals(List.of("c1", "c2"), drain(spool, Destination.ANDON));
    }

    @Test
    void shouldAnswerTheQueuedMessageForARepeatedId() throws Exception {
        RelaySpool spool = new RelaySpool(dir, 10);
        RelaySpool.Offered first = spool.offer(cord("same"));
        RelaySpool.Offered second = spool.offer(cord("same"));

        assertFalse(first.duplicate());
        assertTrue(second.duplicate());
        assertEquals(1, spool.queued(Destination.ANDON));
        assertEquals(1, files(dir.resolve("andon")).size());
        // Also after a restart.
        assertTrue(new RelaySpool(dir, 10).offer(cord("same")).duplicate());
    }

    @Test
    void shouldMoveARefusedMessageToRejectedWithTheHubsAnswerAndGoOn() throws Exception {
        RelaySpool spool = new RelaySpool(dir, 10);
        spool.offer(cord("bad"));
        spool.offer(cord("good"));

        RelaySpool.Queued refused = spool.oldest(Destination.ANDON).orElseThrow();
        spool.reject(refused, 400, "{\"status\":400,\"detail\":\"pull.reason: must not be blank\"}", AT);

        assertEquals(1, spool.rejected());
        assertEquals(List.of("good"), drain(spool, Destination.ANDON));
        List<Path> rejected = files(dir.resolve("rejected"));
        assertEquals(1, rejected.size());
        JsonNode kept = JSON.readTree(rejected.get(0).toFile());
        assertEquals("bad", kept.get("id").asText());
        assertEquals(400, kept.get("hubStatus").asInt());
        assertTrue(kept.get("hubAnswer").asText().contains("must not be blank"));
        assertEquals("{\"n\":\"bad\"}", kept.get("body").asText(), "the message is kept whole");
        // Rejected messages are counted after a restart and never sent again.
        RelaySpool restarted = new RelaySpool(dir, 10);
        assertEquals(1, restarted.rejected());
        assertEquals(0, restarted.queued(Destination.ANDON));
    }

    @Test
    void shouldRefuseMessagesBeyondItsCapacityUntilTheHubTakesSome() throws Exception {
        RelaySpool spool = new RelaySpool(dir, 3);
        spool.offer(cord("1"));
        spool.offer(downtime("2"));
        spool.offer(cord("3"));

        assertThrows(RelaySpool.SpoolFullException.class, () -> spool.offer(cord("4")));
        assertEquals(3, spool.size());
        // A repeat of a queued message is still answered: it takes no room.
        assertTrue(spool.offer(cord("3")).duplicate());

        spool.acknowledge(spool.oldest(Destination.ANDON).orElseThrow());
        spool.offer(cord("4"));
        assertEquals(List.of("3", "4"), drain(spool, Destination.ANDON));
    }

    @Test
    void shouldMoveAnUnreadableFileAsideInsteadOfStoppingTheQueue() throws Exception {
        RelaySpool spool = new RelaySpool(dir, 10);
        spool.offer(cord("1"));
        spool.offer(cord("2"));
        Path first = files(dir.resolve("andon")).get(0);
        Files.writeString(first, "not json");

        RelaySpool restarted = new RelaySpool(dir, 10);
        assertEquals(List.of("2"), drain(restarted, Destination.ANDON));
        assertEquals(1, restarted.rejected());
        assertTrue(Files.readString(files(dir.resolve("rejected")).get(0)).contains("not json"));
    }

    @Test
    void shouldRefuseASignalSampleBeyondItsLimitButStillTakeACord() throws Exception {
        RelaySpool spool = new RelaySpool(dir, 10, java.util.Map.of(Destination.ROLLOUT, 2));
        spool.offer(signal("s1"));
        spool.offer(signal("s2"));
        assertThrows(RelaySpool.SpoolFullException.class, () -> spool.offer(signal("s3")));
        spool.offer(cord("c1"));
        assertEquals(2, spool.queued(Destination.ROLLOUT));
        assertEquals(1, spool.queued(Destination.ANDON), "samples never take the room of a cord");
        assertEquals(2, files(dir.resolve("rollout")).size());
    }

    private static RelayMessage signal(String id) {
        return new RelayMessage(id, Destination.ROLLOUT, "/api/signals", "signal-" + id, AT, "sample " + id, "{}");
    }

    @Test
    void shouldReportTheOldestWaitingMessage() throws Exception {
        RelaySpool spool = new RelaySpool(dir, 10);
        assertTrue(spool.oldestAcceptedAt(Destination.ANDON).isEmpty());
        spool.offer(new RelayMessage("x", Destination.ANDON, "/p", null, AT, "x", "{}"));
        spool.offer(new RelayMessage("y", Destination.ANDON, "/p", null, AT.plusSeconds(60), "y", "{}"));

        assertEquals(AT, spool.oldestAcceptedAt(Destination.ANDON).orElseThrow());
        assertTrue(spool.writable());
    }

    private static List<String> drain(RelaySpool spool, Destination destination) throws IOException {
        List<String> ids = new ArrayList<>();
        while (true) {
            var next = spool.oldest(destination);
            if (next.isEmpty()) {
                return ids;
            }
            ids.add(next.get().message().id());
            spool.acknowledge(next.get());
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.sorted().toList();
        }
    }

    private static RelayMessage cord(String id) {
        return new RelayMessage(
                id,
                Destination.ANDON,
                "/api/cords/forwarded",
                "reef-b:" + id,
                AT,
                "cord " + id,
                "{\"n\":\"" + id + "\"}");
    }

    private static RelayMessage downtime(String id) {
        return new RelayMessage(id, Destination.METRICS, "/api/events/downtime", null, AT, "downtime " + id, "{}");
    }
}
