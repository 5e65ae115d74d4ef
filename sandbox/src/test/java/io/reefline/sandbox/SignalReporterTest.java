package io.reefline.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox reporting its instances' samples to their reefs' cells, as their sidecars would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignalReporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its handlers. */
    private static final Logger REPORTER_LOG = Logger.getLogger(SignalReporter.class.getName());

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private CellStub scheduledCell;
    private Sandbox sandbox;
    private SandboxReef reef;
    private long windowEnd;

    @BeforeAll
    void start() throws Exception {
        scheduledCell = CellStub.start();
        sandbox = Sandbox.start(SandboxSpec.defaults()
                .withReefs(2)
                .withInstancesPerReef(4)
                .withKubeletDelay(Duration.ofMillis(100))
                .withMalformedInstance(false)
                .withSignalsTo("reef-us-1", scheduledCell.url())
                .withSignalsInterval(Duration.ofSeconds(1)));
        reef = sandbox.reef("reef-us-1");
        REPORTER_LOG.addHandler(capture);
    }

    @AfterAll
    void stop() {
        REPORTER_LOG.removeHandler(capture);
        sandbox.close();
        scheduledCell.close();
    }

    @BeforeEach
    void nextWindows() {
        logged.clear();
        windowEnd = (System.currentTimeMillis() / INTERVAL.toMillis() + 1) * INTERVAL.toMillis();
    }

    @Test
    void theSandboxPostsWellFormedSamplesWithEachPodsTokenAndTheWindowsIdempotencyKey() throws Exception {
        // The sandbox's own reporter, every second: every instance of reef-us-1 (and none of reef-eu-1) reports.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> scheduledCell.received.stream()
                                .map(r -> body(r).path("instanceId").asText())
                                .collect(Collectors.toSet())
                                .size()
                        == 4);
        List<CellStub.Received> received = List.copyOf(scheduledCell.received);
        Set<String> keys = new HashSet<>();
        for (CellStub.Received request : received) {
            assertEquals("POST", request.method());
            assertEquals("/api/signals", request.path());
            assertEquals("application/json", request.contentType());
            JsonNode sample = body(request);
            assertEquals(
                    Set.of(
                            "instanceId",
                            "reef",
                            "version",
                            "from",
                            "to",
                            "requests",
                            "errors",
                            "latencyMs",
                            "healthChecks",
                            "healthFailures",
                            "restarts"),
                    fieldNames(sample));
            String instance = sample.get("instanceId").asText();
            assertTrue(instance.startsWith("i-us1-"), instance);
            assertEquals("reef-us-1", sample.get("reef").asText());
            assertEquals("2026.11.0", sample.get("version").asText());
            Instant from = Instant.parse(sample.get("from").asText());
            Instant to = Instant.parse(sample.get("to").asText());
            assertTrue(from.isBefore(to) && !to.isAfter(from.plusSeconds(1)), from + " - " + to);
            assertTrue(sample.get("requests").isIntegralNumber());
            assertTrue(sample.get("errors").asLong() >= 0
                    && sample.get("errors").asLong() <= sample.get("requests").asLong());
            assertTrue(
                    sample.get("latencyMs").isNull() || sample.get("latencyMs").asDouble() > 0);
            assertTrue(sample.get("healthFailures").asInt()
                    <= sample.get("healthChecks").asInt());
            assertEquals(0, sample.get("restarts").asInt());
            assertEquals("signal-" + instance + "-" + from.getEpochSecond(), request.idempotencyKey());
            assertTrue(keys.add(request.idempotencyKey()), "one sample per instance and window");
        }
        // Each sample carries the token of its own instance's pod, which the reef's API vouches for.
        for (String instance : Set.of("i-us1-001", "i-us1-003")) {
            CellStub.Received request = received.stream()
                    .filter(r -> body(r).path("instanceId").asText().equals(instance))
                    .findFirst()
                    .orElseThrow();
            assertTrue(request.authorization().startsWith("Bearer "));
            JsonNode review = tokenReview(request.authorization().substring("Bearer ".length()));
            assertTrue(review.path("status").path("authenticated").asBoolean(), review.toString());
            assertEquals(
                    sandbox.podName("reef-us-1", instance),
                    review.path("status")
                            .path("user")
                            .path("extra")
                            .path("authentication.kubernetes.io/pod-name")
                            .path(0)
                            .asText());
        }
    }

    @Test
    void aSampleCarriesTheTokenOfItsPodsTokenFileAsASidecarWould(@TempDir Path tokens) throws Exception {
        sandbox.writeServiceAccountTokens(tokens, Sandbox.CELL_AUDIENCE);
        try (CellStub cell = CellStub.start();
                SignalReporter reporter = reporter(cell.url())) {
            round(reporter);
            assertEquals(4, cell.received.size());
            for (CellStub.Received request : cell.received) {
                String instance = body(request).path("instanceId").asText();
                assertEquals(
                        "Bearer "
                                + Files.readString(tokens.resolve("reef-us-1")
                                        .resolve(instance)
                                        .resolve("token")),
                        request.authorization());
            }
        }
    }

    @Test
    void aWindowAnsweredWith503IsKeptAndSentAgainAndADownCellCostsOneRequestARound() throws Exception {
        try (CellStub cell = CellStub.start();
                SignalReporter reporter = reporter(cell.url())) {
            cell.answer = r -> new CellStub.Answer(503, "{\"title\":\"Service Unavailable\"}");
            SignalReporter.RoundResult first = round(reporter);
            assertEquals(4, first.sampled());
            assertEquals(0, first.delivered());
            assertEquals(4, reporter.waiting("reef-us-1"));
            int afterFirst = cell.received.size();
            assertTrue(afterFirst >= 1 && afterFirst <= 4, afterFirst + " requests");

            SignalReporter.RoundResult second = round(reporter);
            assertEquals(8, second.kept());
            assertEquals(afterFirst + 1, cell.received.size(), "a cell that is failing gets one probe a round");

            cell.answer = r -> CellStub.Answer.STORED;
            SignalReporter.RoundResult third = round(reporter);
            assertEquals(12, third.delivered(), "all three windows of the four instances");
            assertEquals(0, reporter.waiting("reef-us-1"));

            // The windows refused with a 503 arrived again, under the same keys, oldest first per instance.
            Map<String, List<String>> keysByInstance = new java.util.TreeMap<>();
            for (CellStub.Received request : cell.received) {
                keysByInstance
                        .computeIfAbsent(body(request).path("instanceId").asText(), i -> new ArrayList<>())
                        .add(request.idempotencyKey());
            }
            Set<String> refused = cell.received.subList(0, afterFirst + 1).stream()
                    .map(CellStub.Received::idempotencyKey)
                    .collect(Collectors.toSet());
            List<String> delivered = cell.received.subList(afterFirst + 1, cell.received.size()).stream()
                    .map(CellStub.Received::idempotencyKey)
                    .toList();
            assertTrue(delivered.containsAll(refused), "resent: " + refused);
            for (List<String> keys : keysByInstance.values()) {
                List<String> last = keys.subList(keys.size() - 3, keys.size());
                assertEquals(last.stream().sorted(this::byFrom).toList(), last, "oldest first");
            }
        }
        assertEquals(1, warnings("cannot be delivered"), messages());
        assertEquals(1, infos("delivered to"), messages());
    }

    @Test
    void windowsWaitForACellThatIsNotUpYetBoundedAndWithOneLogLine() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (SignalReporter reporter = reporter(URI.create("http://127.0.0.1:" + port))) {
            for (int i = 0; i < SignalReporter.KEPT_WINDOWS + 5; i++) {
                round(reporter);
            }
            assertEquals(4 * SignalReporter.KEPT_WINDOWS, reporter.waiting("reef-us-1"), "the last 40 per instance");
            assertEquals(1, warnings("cannot be delivered"), messages());
            assertTrue(logged.stream().allMatch(r -> r.getThrown() == null), "no stack traces");

            try (CellStub cell = CellStub.start(port)) {
                SignalReporter.RoundResult up = round(reporter);
                assertEquals(4 * SignalReporter.KEPT_WINDOWS, up.delivered());
                assertEquals(4 * SignalReporter.KEPT_WINDOWS, cell.received.size());
                // 45 windows per instance before, one more in this round: 6 each did not fit.
                assertEquals(1, infos("24 windows were dropped for room"), messages());
            }
        }
    }

    @Test
    void aSampleRefusedWithA400IsDroppedAndTheReasonLoggedOnce() throws Exception {
        try (CellStub cell = CellStub.start();
                SignalReporter reporter = reporter(cell.url())) {
            cell.answer = r -> body(r).path("instanceId").asText().equals("i-us1-002")
                    ? new CellStub.Answer(400, "{\"title\":\"Constraint Violation\",\"status\":400}")
                    : CellStub.Answer.STORED;
            SignalReporter.RoundResult first = round(reporter);
            SignalReporter.RoundResult second = round(reporter);
            assertEquals(3, first.delivered());
            assertEquals(1, first.dropped());
            assertEquals(1, second.dropped());
            assertEquals(0, reporter.waiting("reef-us-1"), "nothing kept");
            List<String> refusedKeys = cell.received.stream()
                    .filter(r -> body(r).path("instanceId").asText().equals("i-us1-002"))
                    .map(CellStub.Received::idempotencyKey)
                    .toList();
            assertEquals(2, refusedKeys.size(), "one try per window: " + refusedKeys);
            assertEquals(2, Set.copyOf(refusedKeys).size());
            assertEquals(8, cell.received.size());
        }
        assertEquals(1, warnings("400 Constraint Violation"), messages());
        assertEquals(0, warnings("cannot be delivered"), messages());
    }

    @Test
    void aRoundOfEightReefsOfTwoHundredInstancesKeepsUpWithTheInterval() throws Exception {
        long now = System.currentTimeMillis();
        Map<String, List<InstanceTimeline>> fleet = new java.util.LinkedHashMap<>();
        for (ReefIdentity identity : ReefIdentity.forCount(8)) {
            List<InstanceTimeline> timelines = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                timelines.add(new InstanceTimeline(
                        identity.name(),
                        identity.instanceId(i),
                        List.of(new PodRun(now - 3_600_000, SandboxSpec.DEFAULT_IMAGE, true))));
            }
            fleet.put(identity.name(), timelines);
        }
        try (CellStub cell = CellStub.start()) {
            Map<String, URI> cells = new java.util.LinkedHashMap<>();
            fleet.keySet().forEach(name -> cells.put(name, URI.create(cell.url() + "/" + name)));
            SignalReporter.Fleet fake = new SignalReporter.Fleet() {
                @Override
                public List<InstanceTimeline> timelines(String reef) {
                    return fleet.get(reef);
                }

                @Override
                public Optional<String> token(String reef, String instanceId) {
                    return Optional.of("token-of-" + instanceId);
                }
            };
            try (SignalReporter reporter = new SignalReporter(
                    new SignalReporting(cells, Duration.ofSeconds(15)),
                    new TrafficModel(42, ImageFaults.defaults()),
                    fake,
                    Clock.systemUTC())) {
                long end = (now / 15_000) * 15_000;
                List<Long> millis = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    long started = System.nanoTime();
                    SignalReporter.RoundResult result =
                            reporter.round(end + round * 15_000L).get(30, TimeUnit.SECONDS);
                    millis.add((System.nanoTime() - started) / 1_000_000);
                    assertEquals(1_600, result.sampled());
                    assertEquals(1_600, result.delivered());
                }
                System.out.println("A round of 8 reefs x 200 instances (sample + POST each), ms: " + millis);
                assertEquals(6_400, cell.received.size());
                assertTrue(millis.stream().allMatch(m -> m < 15_000), "a round within the interval: " + millis);
            }
        }
    }

    private SignalReporter reporter(URI cell) {
        SignalReporter.Fleet fleet = new SignalReporter.Fleet() {
            @Override
            public List<InstanceTimeline> timelines(String name) {
                return sandbox.timelines(name);
            }

            @Override
            public Optional<String> token(String name, String instanceId) {
                return sandbox.cellToken(name, instanceId);
            }
        };
        return new SignalReporter(
                new SignalReporting(Map.of("reef-us-1", cell), INTERVAL),
                sandbox.trafficModel(),
                fleet,
                Clock.systemUTC());
    }

    private SignalReporter.RoundResult round(SignalReporter reporter) throws Exception {
        SignalReporter.RoundResult result = reporter.round(windowEnd).get(20, TimeUnit.SECONDS);
        windowEnd += INTERVAL.toMillis();
        return result;
    }

    private int byFrom(String a, String b) {
        return Long.compare(
                Long.parseLong(a.substring(a.lastIndexOf('-') + 1)),
                Long.parseLong(b.substring(b.lastIndexOf('-') + 1)));
    }

    private JsonNode tokenReview(String token) throws Exception {
        String review = JSON.createObjectNode()
                .put("apiVersion", "authentication.k8s.io/v1")
                .put("kind", "TokenReview")
                .set(
                        "spec",
                        JSON.createObjectNode()
                                .put("token", token)
                                .set("audiences", JSON.createArrayNode().add(Sandbox.CELL_AUDIENCE)))
                .toString();
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(reef.url() + "/apis/authentication.k8s.io/v1/tokenreviews"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(review))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    // Compared by value: under the JBoss log manager of the test classpath the levels are its own WARN and INFO.
    private long warnings(String text) {
        return logged.stream()
                .filter(r -> r.getLevel().intValue() == Level.WARNING.intValue()
                        && formatted(r).contains(text))
                .count();
    }

    private long infos(String text) {
        return logged.stream()
                .filter(r -> r.getLevel().intValue() == Level.INFO.intValue()
                        && formatted(r).contains(text))
                .count();
    }

    private String messages() {
        return logged.stream()
                .map(r -> r.getLevel() + " " + formatted(r))
                .toList()
                .toString();
    }

    private static String formatted(LogRecord record) {
        return new java.util.logging.SimpleFormatter().formatMessage(record);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode body(CellStub.Received request) {
        try {
            JsonNode body = JSON.readTree(request.body());
            assertNotNull(body);
            return body;
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + request.body(), e);
        }
    }
}
